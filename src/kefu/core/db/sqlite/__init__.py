"""``ENGINE = "kefu.core.db.sqlite"``: Django's SQLite backend with queued writers (base.py)."""
