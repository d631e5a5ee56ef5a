"""YouTube comments and search results to Posts, each in one place.

A comment's text is `textDisplay` requested with `textFormat=plainText` (`textOriginal` is
only guaranteed for the comment's own author). A comment is edited when `updatedAt` differs
from `publishedAt`. Search results (videos) become posts of title and description.
"""

from __future__ import annotations

import html
from typing import Any

from sources.errors import MalformedResponse
from sources.post import Post
from sources.timestamps import parse_iso8601

PLATFORM = "youtube"
VIDEO_PREFIX = "video:"  # search hits are videos; their external ids say so


def comments_of_thread(thread: Any) -> list[dict[str, Any]]:
    """The top-level comment of a commentThread followed by the replies it carries."""
    if not isinstance(thread, dict) or not isinstance(thread.get("snippet"), dict):
        raise MalformedResponse("YouTube comment thread without a snippet")
    top = thread["snippet"].get("topLevelComment")
    replies = (thread.get("replies") or {}).get("comments") or []
    return [c for c in [top, *replies] if isinstance(c, dict)]


def post_from_comment(comment: dict[str, Any], *, source: str) -> Post:
    """One `youtube#comment` to a Post."""
    snippet = comment.get("snippet")
    if not comment.get("id") or not isinstance(snippet, dict):
        raise MalformedResponse("YouTube comment without id or snippet")
    video = snippet.get("videoId")
    url = f"https://www.youtube.com/watch?v={video}&lc={comment['id']}" if video else None
    published, updated = snippet.get("publishedAt"), snippet.get("updatedAt")
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=str(comment["id"]),
        text=html.unescape(str(snippet.get("textDisplay") or snippet.get("textOriginal") or "")),
        url=url,
        author=snippet.get("authorDisplayName"),
        created_at=parse_iso8601(published),
        edited=bool(updated and published and updated != published),
        reach=snippet.get("likeCount") if isinstance(snippet.get("likeCount"), int) else None,
        raw={
            "video_id": video,
            "channel_id": snippet.get("channelId"),
            "parent_id": snippet.get("parentId"),
            "author_channel_id": (snippet.get("authorChannelId") or {}).get("value"),
        },
    )


def post_from_search_result(item: Any, *, source: str) -> Post | None:
    """One `youtube#searchResult` (a video) to a Post; None for channels and playlists."""
    if not isinstance(item, dict) or not isinstance(item.get("snippet"), dict):
        raise MalformedResponse("YouTube search result without a snippet")
    video = (item.get("id") or {}).get("videoId")
    if not video:
        return None
    snippet = item["snippet"]
    parts = [html.unescape(str(snippet.get(k) or "")).strip() for k in ("title", "description")]
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=f"{VIDEO_PREFIX}{video}",
        text="\n\n".join(p for p in parts if p),
        url=f"https://www.youtube.com/watch?v={video}",
        author=snippet.get("channelTitle"),
        created_at=parse_iso8601(snippet.get("publishedAt")),
        raw={"video_id": video, "channel_id": snippet.get("channelId")},
    )
