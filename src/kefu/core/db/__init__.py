"""Database backends of Kefu (``kefu.core.db.sqlite``: SQLite writers that queue)."""
