"""Bluesky `postView`s (and author-feed items around them) to Posts, in one place.

Text is `record.text` plus the full targets of link facets and an external embed when the
visible text does not already show them (Bluesky shortens link text). Reposts keep the
original post (its URI is the identity) and record who reposted in `raw`. Bluesky has no
edit feature, so `edited` is always False.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sources.errors import MalformedResponse
from sources.post import Post

PLATFORM = "bluesky"
REPOST = "app.bsky.feed.defs#reasonRepost"


def item_time(item: dict[str, Any]) -> str:
    """The server time an author-feed item was placed in the feed (repost time for reposts)."""
    reason = item.get("reason") or {}
    return str(reason.get("indexedAt") or item.get("post", {}).get("indexedAt") or "")


def post_from_view(view: Any, *, source: str, reason: dict[str, Any] | None = None) -> Post:
    """Turn one `app.bsky.feed.defs#postView` into a Post; MalformedResponse if it is not one."""
    if (
        not isinstance(view, dict)
        or not view.get("uri")
        or not isinstance(view.get("author"), dict)
    ):
        raise MalformedResponse("Bluesky post without uri or author")
    record: dict[str, Any] = view["record"] if isinstance(view.get("record"), dict) else {}
    author = view["author"]
    handle = author.get("handle") if author.get("handle") != "handle.invalid" else None
    raw: dict[str, Any] = {"uri": view["uri"], "cid": view.get("cid"), "did": author.get("did")}
    if reason and reason.get("$type") == REPOST:
        raw["reposted_by"] = (reason.get("by") or {}).get("handle")
        raw["reposted_at"] = reason.get("indexedAt")
    parent = (record.get("reply") or {}).get("parent") or {}
    if parent.get("uri"):
        raw["reply_to"] = parent["uri"]
    langs = record.get("langs") or []
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=str(view["uri"]),
        text=post_text(record, view.get("embed")),
        url=web_url(str(view["uri"]), handle or author.get("did")),
        author=handle or author.get("did"),
        created_at=_time(record.get("createdAt")) or _time(view.get("indexedAt")),
        lang=str(langs[0]) if langs else None,
        reach=_reach(view),
        raw=raw,
    )


def post_text(record: dict[str, Any], embed: Any) -> str:
    """Record text plus link targets the visible text does not show in full."""
    text = str(record.get("text") or "")
    links = []
    for facet in record.get("facets") or []:
        for feature in (facet or {}).get("features") or []:
            if (feature or {}).get("$type") == "app.bsky.richtext.facet#link":
                links.append(str(feature.get("uri", "")))
    external = (embed or {}).get("external") if isinstance(embed, dict) else None
    if isinstance(external, dict) and external.get("uri"):
        links.append(str(external["uri"]))
    extra = [uri for uri in dict.fromkeys(links) if uri and uri not in text]
    return "\n".join([text, *extra]).strip()


def web_url(uri: str, who: str | None) -> str | None:
    """https://bsky.app/profile/<handle or did>/post/<rkey> for an at:// post URI."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post":
        return None
    return f"https://bsky.app/profile/{who or parts[0]}/post/{parts[2]}"


def _reach(view: dict[str, Any]) -> int | None:
    counts = [view.get(k) for k in ("likeCount", "repostCount", "replyCount", "quoteCount")]
    numbers = [c for c in counts if isinstance(c, int)]
    return sum(numbers) if numbers else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
