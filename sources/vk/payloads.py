"""VK wall posts (from `newsfeed.search` or `wall.get`, `extended=1`) to Posts, in one place.

Authors come from the response's `profiles` (users, positive ids) and `groups` (communities,
negative ids). A repost's own comment is followed by the reposted text(s) from
`copy_history`, so abuse spread by reposting is matched too. VK escapes some characters as
HTML entities; they are decoded.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from sources.errors import MalformedResponse
from sources.post import Post

PLATFORM = "vk"
SKIPPED_TYPES = frozenset({"postpone", "suggest"})


def author_index(response: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Map VK owner ids (users positive, communities negative) to their profile objects."""
    index: dict[int, dict[str, Any]] = {}
    for profile in response.get("profiles") or []:
        if isinstance(profile, dict) and isinstance(profile.get("id"), int):
            index[profile["id"]] = profile
    for group in response.get("groups") or []:
        if isinstance(group, dict) and isinstance(group.get("id"), int):
            index[-group["id"]] = group
    return index


def post_key(item: dict[str, Any]) -> str:
    """`<owner_id>_<id>`: VK's own identity of a wall post."""
    return f"{item.get('owner_id')}_{item.get('id')}"


def post_from_item(item: Any, *, authors: dict[int, dict[str, Any]], source: str) -> Post | None:
    """One VK post to a Post; None for deleted, scheduled or suggested posts and empty ones."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), int):
        raise MalformedResponse("VK post without an id")
    if item.get("is_deleted") or item.get("post_type") in SKIPPED_TYPES:
        return None
    copies = [c for c in item.get("copy_history") or [] if isinstance(c, dict)]
    parts = [html.unescape(str(p.get("text") or "")).strip() for p in [item, *copies]]
    text = "\n\n".join(p for p in parts if p)
    if not text:
        return None
    key = post_key(item)
    from_id = item.get("from_id", item.get("owner_id"))
    raw: dict[str, Any] = {
        "owner_id": item.get("owner_id"),
        "from_id": from_id,
        "post_type": item.get("post_type"),
    }
    if copies:
        raw["copy_of"] = [post_key(c) for c in copies]
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=key,
        text=text,
        url=f"https://vk.com/wall{key}",
        author=author_name(authors.get(from_id) if isinstance(from_id, int) else None, from_id),
        created_at=_time(item.get("date")),
        edited=bool(item.get("edited")),
        reach=_count(item.get("views")),
        raw=raw,
    )


def author_name(profile: dict[str, Any] | None, from_id: Any) -> str | None:
    """ "First Last (screen_name)" for users, the name for communities, else the raw id."""
    if profile is None:
        return None if from_id is None else str(from_id)
    name = profile.get("name") or " ".join(
        str(p) for p in (profile.get("first_name"), profile.get("last_name")) if p
    )
    screen = profile.get("screen_name")
    return f"{name} ({screen})" if name and screen else (name or screen or str(from_id))


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if isinstance(value, int) else None


def _count(value: Any) -> int | None:
    count = value.get("count") if isinstance(value, dict) else None
    return count if isinstance(count, int) else None
