"""Telegram public channels through the web preview `t.me/s/<channel>` (no account needed)."""
