"""One Mastodon Status JSON object to one `Post`: the only place a Status is read.

A boost (`reblog`) carries no content of its own: the post is the boosted original, and
who boosted it is kept in `raw["boosted_by"]`. A content warning (`spoiler_text`) is
prepended to the text because it is part of what the author wrote. Quotes (4.4+) are kept
in `raw["quote"]` with their state; the quoted text is not mixed into the post's own text.
"""

from __future__ import annotations

from typing import Any

from sources.errors import MalformedResponse
from sources.post import Post
from sources.text import html_to_text
from sources.timestamps import parse_iso8601

PLATFORM = "mastodon"


def post_from_status(status: Any, *, source: str) -> Post:
    """Build a Post from a Status dict; MalformedResponse if it lacks an id."""
    if not isinstance(status, dict) or not isinstance(status.get("id"), str):
        raise MalformedResponse("Mastodon status without an id")
    original = status.get("reblog") if isinstance(status.get("reblog"), dict) else None
    shown = original or status
    account = _as_dict(shown.get("account"))
    raw: dict[str, Any] = {
        "id": shown["id"],
        "uri": shown.get("uri"),
        "visibility": shown.get("visibility"),
        "in_reply_to_id": shown.get("in_reply_to_id"),
        "sensitive": bool(shown.get("sensitive")),
        "spoiler_text": shown.get("spoiler_text") or "",
        "tags": [t.get("name") for t in shown.get("tags") or [] if isinstance(t, dict)],
        "media": _media(shown.get("media_attachments")),
        "author_url": account.get("url"),
        "author_name": account.get("display_name") or None,
    }
    if original is not None:
        boost_account = status.get("account") or {}
        raw["boosted_by"] = boost_account.get("acct") if isinstance(boost_account, dict) else None
        raw["boost_id"] = status["id"]
    quote = _quote(shown.get("quote"))
    if quote is not None:
        raw["quote"] = quote
    followers = account.get("followers_count")
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=str(shown["id"]),
        text=status_text(shown),
        url=shown.get("url") or shown.get("uri"),
        author=account.get("acct") or None,
        created_at=parse_iso8601(shown.get("created_at")),
        lang=shown.get("language") or None,
        edited=bool(shown.get("edited_at")),
        reach=followers if isinstance(followers, int) else None,
        raw=raw,
    )


def status_text(status: dict[str, Any]) -> str:
    """Plain text of a status: content warning first, then the content (or deleted `text`)."""
    content = status.get("content")
    body = html_to_text(content) if isinstance(content, str) else str(status.get("text") or "")
    warning = html_to_text(str(status.get("spoiler_text") or ""))
    return f"{warning}\n\n{body}".strip() if warning else body


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _media(attachments: Any) -> list[dict[str, Any]]:
    return [
        {"type": a.get("type"), "url": a.get("url") or a.get("remote_url")}
        for a in attachments or []
        if isinstance(a, dict)
    ]


def _quote(quote: Any) -> dict[str, Any] | None:
    """The quote's state and, when shown, the quoted status's id, author, url and text."""
    if not isinstance(quote, dict):
        return None
    quoted = quote.get("quoted_status")
    summary: dict[str, Any] = {"state": quote.get("state") or "unauthorized"}
    if isinstance(quoted, dict):
        author = _as_dict(quoted.get("account"))
        summary.update(
            id=quoted.get("id"),
            url=quoted.get("url") or quoted.get("uri"),
            author=author.get("acct"),
            text=status_text(quoted),
        )
    return summary
