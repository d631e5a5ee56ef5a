"""What the alert feed, the alert detail page and the JSON API read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

#: Text longer than this is cut on the detail page (the evidence bundle keeps all of it).
DETAIL_TEXT_LIMIT = 20_000
#: Characters of the latest post shown in the feed.
EXCERPT_LIMIT = 280


class AlertRead(BaseModel):
    """An alert as `/api/v1/alerts` lists it (contract in DESIGN.md)."""

    id: int
    defender: str = Field(description="The defender's slug")
    category: str
    severity: str
    status: str
    post_count: int
    case_id: int | None
    title: str
    opened_at: datetime
    last_post_at: datetime
    acknowledged_at: datetime | None


class AlertPage(BaseModel):
    """One page of alerts, newest first; `next` is the cursor of the following page."""

    items: list[AlertRead]
    next: str | None


class PostExcerpt(BaseModel):
    """The start of a post's text, for the feed; `truncated` when there is more."""

    post_id: int
    text: str
    truncated: bool
    url: str | None
    author: str | None
    posted_at: datetime | None


class FeedItem(BaseModel):
    """A feed row: the alert, whom it is about, and the excerpt of its latest post."""

    alert: AlertRead
    defender_name: str
    latest: PostExcerpt | None


class MatchSpan(BaseModel):
    """Where a defender (or their contact detail) was found in the post text."""

    kind: str
    start: int
    end: int


class AlertPostView(BaseModel):
    """A post grouped into an alert, with what the pipeline learned about it."""

    post_id: int
    url: str | None
    author: str | None
    posted_at: datetime | None
    text: str
    truncated: bool
    severity: str
    reason: str
    scores: dict[str, float]
    flagged: list[str]
    explanations: dict[str, Any]
    matches: list[MatchSpan]


class AlertDetail(BaseModel):
    """An alert with its posts, for the detail page and `GET /api/v1/alerts/{id}`."""

    alert: AlertRead
    defender_name: str
    reason: str
    posts: list[AlertPostView]
