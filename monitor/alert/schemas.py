"""What the alert feed, the alert detail page and the JSON API read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

#: Text longer than this is cut on the detail page (the evidence bundle keeps all of it).
DETAIL_TEXT_LIMIT = 20_000
#: Characters of the latest post shown in the feed.
EXCERPT_LIMIT = 280


class AlertRead(BaseModel):
    """An alert as `/api/v1/alerts` lists it (contract in DESIGN.md)."""

    id: int
    defender: str | None = Field(description="The defender's slug; null for a source alert")
    source: str | None = Field(
        default=None, description="The source's name, for a source-health alert"
    )
    category: str
    severity: str
    status: str
    post_count: int
    case_id: int | None
    title: str
    opened_at: datetime
    last_post_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None = Field(
        default=None,
        description="When a critical alert passed its acknowledgement deadline and was escalated",
    )

    @model_serializer(mode="wrap")
    def _source_only_when_set(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Defender alerts keep the contract's exact fields; `source` appears on source alerts."""
        data: dict[str, Any] = handler(self)
        if data.get("source") is None:
            data.pop("source", None)
        return data


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
    """A feed row: the alert, whom (or which source) it is about, and its latest post."""

    alert: AlertRead
    defender_name: str | None
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
    deleted_at: datetime | None = Field(
        default=None, description="When a recheck found the post gone from its platform"
    )
    reappeared_at: datetime | None = Field(
        default=None, description="When a post marked deleted was collected again"
    )


class AlertDetail(BaseModel):
    """An alert with its posts, for the detail page and `GET /api/v1/alerts/{id}`."""

    alert: AlertRead
    defender_name: str | None
    reason: str
    posts: list[AlertPostView]
