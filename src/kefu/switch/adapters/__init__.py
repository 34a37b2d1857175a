"""Telephony adapters: one seam per outside system (``base`` defines it, ``sim`` simulates)."""
