"""OPSEC guard for remote searches: queries may name people, never carry phones or e-mails.

A search query tells the platform whom we protect. DESIGN.md allows names only; contact
details are matched locally. Used by every source that sends a search term (Telegram's
in-channel search, Bluesky, VK, YouTube).

A phone number is refused in any notation the pattern recognises, and so is any query
with five or more digits in total: a name needs none, and the last digits of a number
already identify it.
"""

from __future__ import annotations

import re

PHONE = re.compile(r"\+?\d[\d\s\-().]{5,}\d")
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
DIGIT = re.compile(r"\d")
MAX_DIGITS = 4


def names_only(query: str) -> str:
    """Return the query, or raise ValueError if it holds a phone number or an e-mail address."""
    if PHONE.search(query) or len(DIGIT.findall(query)) > MAX_DIGITS:
        raise ValueError("search queries must not contain phone numbers (match them locally)")
    if EMAIL.search(query):
        raise ValueError("search queries must not contain e-mail addresses (match them locally)")
    if not query.strip():
        raise ValueError("search query is empty")
    return query.strip()
