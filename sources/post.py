"""The normalised post record every collector produces and the pipeline stores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Post:
    """One public post, normalised from a platform payload in exactly one place per platform.

    `external_id` is unique within its source; (source, external_id) is the identity the
    pipeline upserts on, so collecting the same page twice never duplicates a post.
    """

    source: str
    platform: str
    external_id: str
    text: str
    url: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    lang: str | None = None
    edited: bool = False
    reach: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: detects edits and keys caches without storing text twice."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch returned: new posts (oldest first) and the cursor to resume from.

    `cursor` is opaque to everyone but the source that made it; the pipeline saves it in the
    same transaction as the posts so a crash can never skip or replay a page.
    """

    posts: list[Post]
    cursor: str | None
    not_modified: bool = False
