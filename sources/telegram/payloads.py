"""One `t.me/s/<channel>` HTML page to `Post`s: the only place Telegram markup is read.

The preview lists a page of messages oldest first. Each `div.tgme_widget_message` carries
`data-post="<channel>/<id>"`; service messages (channel created, pinned, renamed) have the
`service_message` class and are skipped but still count as seen ids. A page whose history
holds only `div.tme_no_messages_found` is what Telegram serves when it throttles: the
caller must treat it as "retry later", never as "the channel is empty".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from sources.errors import MalformedResponse
from sources.post import Post
from sources.text import html_to_text, normalise_space

PLATFORM = "telegram"
PUBLIC_URL = "https://t.me"
_DATA_POST = re.compile(r"^([A-Za-z0-9_]{1,64})/(\d{1,12})$")
_BEFORE = re.compile(r"[?&]before=(\d+)")
_VIEWS = re.compile(r"^([\d.,]+)\s*([KMB]?)$", re.IGNORECASE)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
_MEDIA = {
    "photo": ".tgme_widget_message_photo_wrap",
    "video": ".tgme_widget_message_video_player",
    "round_video": ".tgme_widget_message_roundvideo_player",
    "document": ".tgme_widget_message_document",
    "poll": ".tgme_widget_message_poll",
    "sticker": ".tgme_widget_message_sticker_wrap",
    "location": ".tgme_widget_message_location_wrap",
    "link_preview": ".tgme_widget_message_link_preview",
}


@dataclass(slots=True)
class Page:
    """What one preview page held: posts, every message id seen, and paging/health signals."""

    posts: list[Post] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # every message id, service ones included
    before: int | None = None  # the id to page back from (None: no older page announced)
    no_posts_found: bool = False  # the "No posts found" block (throttling or no result)
    has_channel_info: bool = False  # a real channel page (a missing channel has none)


def parse_page(html: str | bytes, *, source: str, where: str = "t.me") -> Page:
    """Parse a preview page (or fragment) into a Page; MalformedResponse if it is not one."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if "tgme_" not in html and "tme_no_messages_found" not in html:
        raise MalformedResponse(f"not a Telegram preview page from {where}")
    tree = HTMLParser(html)
    page = Page(
        no_posts_found=tree.css_first(".tme_no_messages_found") is not None,
        has_channel_info=tree.css_first(".tgme_channel_info") is not None,
    )
    for node in tree.css("div.tgme_widget_message[data-post]"):
        match = _DATA_POST.match(node.attributes.get("data-post") or "")
        if match is None:
            continue
        channel, message_id = match.group(1), int(match.group(2))
        page.ids.append(message_id)
        if "service_message" not in (node.attributes.get("class") or ""):
            page.posts.append(post_from_message(node, source=source, channel=channel))
    page.before = _older_page(tree, page.ids)
    return page


def post_from_message(node: Node, *, source: str, channel: str) -> Post:
    """Build one Post from a `div.tgme_widget_message` node (the only place this happens)."""
    message_id = int(_DATA_POST.match(node.attributes["data-post"] or "").group(2))  # type: ignore[union-attr]
    text_node = node.css_first(".tgme_widget_message_text.js-message_text")
    signer = _text(node.css_first(".tgme_widget_message_from_author"))
    meta = node.css_first(".tgme_widget_message_meta")
    raw: dict[str, object] = {
        "channel": channel,
        "id": message_id,
        "channel_title": _text(node.css_first(".tgme_widget_message_owner_name")),
        "signed_by": signer,
        "media": [kind for kind, selector in _MEDIA.items() if node.css_first(selector)],
    }
    forwarded = node.css_first(".tgme_widget_message_forwarded_from_name")
    if forwarded is not None:
        raw["forwarded_from"] = {
            "name": _text(forwarded),
            "url": forwarded.attributes.get("href"),
        }
    reply = node.css_first("a.tgme_widget_message_reply")
    if reply is not None:
        reply_id = (reply.attributes.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
        raw["reply_to"] = int(reply_id) if reply_id.isdigit() else None
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=f"{channel}/{message_id}",
        text=html_to_text(text_node.html or "") if text_node is not None else "",
        url=f"{PUBLIC_URL}/{channel}/{message_id}",
        author=signer or channel,
        created_at=_created_at(node),
        edited=_is_edited(meta, signer),
        reach=parse_views(_text(node.css_first(".tgme_widget_message_views"))),
        raw=raw,
    )


def parse_views(value: str | None) -> int | None:
    """'2' -> 2, '436.6K' -> 436600, '3.1M' -> 3100000; None when absent or unreadable."""
    match = _VIEWS.match((value or "").strip())
    if match is None:
        return None
    number, suffix = match.group(1).replace(",", "."), match.group(2).upper()
    try:
        return round(float(number) * _SCALE[suffix])
    except ValueError:
        return None


def _is_edited(meta: Node | None, signer: str | None) -> bool:
    """The footer says "edited" (outside the signature, which may contain that word)."""
    if meta is None:
        return False
    footer = meta.text(deep=True) or ""
    return "edited" in (footer.replace(signer, "") if signer else footer)


def _created_at(node: Node) -> datetime | None:
    time_node = node.css_first(".tgme_widget_message_date time[datetime]")
    if time_node is None:
        time_node = node.css_first("time[datetime]")
    try:
        return datetime.fromisoformat(time_node.attributes["datetime"] or "") if time_node else None
    except ValueError:
        return None


def _older_page(tree: HTMLParser, ids: list[int]) -> int | None:
    """The `before` id of the next older page: link rel=prev, the 'more' button, else min id."""
    link = tree.css_first('link[rel="prev"]')
    if link is not None:
        found = _BEFORE.search(link.attributes.get("href") or "")
        if found:
            return int(found.group(1))
    more = tree.css_first("a.tme_messages_more[data-before]")
    if more is not None and (more.attributes.get("data-before") or "").isdigit():
        return int(more.attributes["data-before"] or 0)
    lowest = min(ids) if ids else 0
    return lowest if lowest > 1 else None


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    return normalise_space(node.text(deep=True, separator="")) or None
