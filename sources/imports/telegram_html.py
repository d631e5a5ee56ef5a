"""Telegram Desktop "Export chat history" in HTML format (`messages.html`, `messages2.html`…).

The export is a folder: one page per 1,000 messages plus `css/`, `js/` and media folders.
Each page is self-contained (Telegram Desktop starts every page with a full sender block),
so pages are parsed one at a time and a folder is the concatenation of its pages in order.

Inside `div.history`:

- `div.message.service` — date separators (`id="message-1"`, …) and joins, pins, renames:
  skipped, as the JSON importer skips service messages.
- `div.message.default` (`id="message<N>"`) — a message. Its `div.body` holds
  `div.pull_right.date.details[title="DD.MM.YYYY HH:MM:SS UTC+03:00"]` (older versions
  write no offset: the time is then the exporting computer's, taken from the import's zone),
  `div.from_name` — absent on a "joined" follow-up from the same sender, who carries over
  from the previous message — and the content. A forwarded message nests its content in
  `div.forwarded.body`, which has its own `div.from_name` (the original author, followed by
  a `span.date` with the original time). `div.reply_to` links the replied-to message,
  `div.media_wrap` holds media, `div.text` the text with `<br>` line breaks and entities as
  `<a>`, `<strong>`, `<em>`, …
- Media without text carries no words to match and is skipped, as in the JSON importer.

The HTML carries no chat id, so the chat part of the external id is a hash of the chat's
title (`tg:html-<16 hex>:<message id>`): re-importing the page, or a later export of the
same chat, gives the same ids; a renamed chat, or a JSON export of the same chat, is stored
separately (once each). Edits are not marked in HTML exports, so `edited` is always False.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from sources.errors import MalformedResponse
from sources.imports.common import malformed
from sources.imports.telegram_desktop import PLATFORM, external_id
from sources.post import Post
from sources.text import BLOCK_TAGS, DROPPED_TAGS, normalise_space

PAGE_NAME = re.compile(r"^messages(\d*)\.html$", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"^message(\d{1,18})$")
_DATE_TITLE = re.compile(
    r"^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})"
    r"(?: UTC(?:([+-])(\d{1,2}):?(\d{2})?)?)?$"
)
_REPLY_TARGET = re.compile(r"go_to_message(\d{1,18})")
#: The parts of a message, by role: the classes each part's div carries.
_ROLES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (role, frozenset(classes.split()))
    for role, classes in (
        ("forwarded", "forwarded body"),
        ("body", "body"),
        ("date", "date details"),
        ("from_name", "from_name"),
        ("reply_to", "reply_to"),
        ("text", "text"),
    )
)


@dataclass(slots=True)
class _Carried:
    """What a "joined" message inherits from the message before it on the same page."""

    author: str | None = None
    forwarded_from: str | None = None


def looks_like_telegram_html(text: str) -> bool:
    """True for a Telegram Desktop chat page (its message history container is present)."""
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) and 'class="history"' in text


def page_number(name: str) -> int | None:
    """1 for messages.html, N for messagesN.html, None for any other file name."""
    match = PAGE_NAME.match(name)
    if match is None:
        return None
    return int(match.group(1) or 1)


def chat_key(title: str) -> str:
    """The chat part of the external id: the HTML has no chat id, so a hash of its title."""
    digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()
    return f"html-{digest[:16]}"


def parse_telegram_html(text: str, *, where: str, source_name: str, zone: tzinfo) -> list[Post]:
    """Parse one page; MalformedResponse naming the file (and line) if it is not a whole one."""
    if not looks_like_telegram_html(text):
        raise malformed(where, None, "not a Telegram Desktop HTML export (no message history)")
    if text.rstrip()[-7:].lower() != "</html>":
        raise malformed(where, None, "truncated: the page ends before </html> (export again)")
    tree = HTMLParser(text)
    history = tree.css_first("div.history")
    if history is None:
        raise malformed(where, None, "not a Telegram Desktop HTML export (no message history)")
    title = normalise_space(_text(tree.css_first("div.page_header div.text.bold")))
    if not title:
        raise malformed(where, None, "no chat name in the page header")
    page = _Page(text=text, where=where, source=source_name, zone=zone, chat=chat_key(title))
    carried = _Carried()
    posts = []
    for node in history.css("div.message"):
        if "default" not in _classes(node):
            continue  # service messages and date separators
        post = page.post_from_message(node, carried)
        if post is not None:
            posts.append(post)
    return posts


@dataclass(frozen=True, slots=True)
class _Page:
    """One page being parsed: where it came from and how to name its messages."""

    text: str
    where: str
    source: str
    zone: tzinfo
    chat: str

    def post_from_message(self, node: Node, carried: _Carried) -> Post | None:
        """One `div.message.default` to a Post (the only place this happens); None if no text.

        Updates `carried` so the next "joined" message knows its sender.
        """
        message_id = self._message_id(node)
        body = _parts(node).get("body")
        if body is None:
            raise self._error(message_id, "a message without a body")
        parts = _parts(body)
        if "from_name" in parts or "joined" not in _classes(node):
            carried.author = _name(parts.get("from_name"))
        content = parts
        if "forwarded" in parts:
            content = _parts(parts["forwarded"])
            if "from_name" in content:
                carried.forwarded_from = _name(content["from_name"])
        text = plain_text(content["text"]) if "text" in content else ""
        if not text:
            return None  # media only (photo, sticker, voice…): nothing to match
        raw: dict[str, object] = {
            "import": "telegram_desktop_html",
            "file": self.where,
            "message_id": message_id,
        }
        if "forwarded" in parts and carried.forwarded_from:
            raw["forwarded_from"] = carried.forwarded_from
        reply_to = _reply_target(content.get("reply_to"))
        if reply_to is not None:
            raw["reply_to"] = reply_to
        return Post(
            source=self.source,
            platform=PLATFORM,
            external_id=external_id(self.chat, message_id),
            text=text,
            author=carried.author,
            created_at=self._created_at(message_id, parts.get("date")),
            raw=raw,
        )

    def _message_id(self, node: Node) -> int:
        match = _MESSAGE_ID.match(node.attributes.get("id") or "")
        if match is None:
            raise malformed(self.where, None, "a message without a numeric id")
        return int(match.group(1))

    def _created_at(self, message_id: int, node: Node | None) -> datetime | None:
        title = (node.attributes.get("title") or "").strip() if node is not None else ""
        if not title:
            return None
        match = _DATE_TITLE.match(title)
        if match is None:
            raise self._error(message_id, f"unreadable date {title[:40]!r}")
        day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
        try:
            zone = self.zone  # no "UTC…" suffix: an older export, in the computer's local time
            if " UTC" in title:
                offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
                zone = timezone(-offset if sign == "-" else offset)
            local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
            return local.replace(tzinfo=zone).astimezone(UTC)
        except (ValueError, OverflowError):
            raise self._error(message_id, f"impossible date {title[:40]!r}") from None

    def _error(self, message_id: int, problem: str) -> MalformedResponse:
        """An error naming the file, the line of the message and the problem."""
        at = self.text.find(f'id="message{message_id}"')
        line = self.text.count("\n", 0, at) + 1 if at >= 0 else None
        return malformed(self.where, line, f"message {message_id}: {problem}")


def _classes(node: Node) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _parts(node: Node) -> dict[str, Node]:
    """The direct children a message is made of, by role (the first of each; a nested
    forwarded body's children are not ours, so descendants are never searched)."""
    found: dict[str, Node] = {}
    for child in node.iter():
        classes = set(_classes(child))
        for role, needed in _ROLES:
            if needed <= classes and role not in found:
                found[role] = child
                break
    return found


def plain_text(node: Node) -> str:
    """What a reader sees in a `div.text`: `<br>` and block edges as line breaks, entities
    decoded, tags dropped; script text kept as inert text, style text dropped (the policy of
    sources.text). Iterative, so hostile nesting cannot exhaust the stack."""
    parts: list[str] = []
    stack: list[Node | None] = [node]
    while stack:
        item = stack.pop()
        if item is None:
            parts.append("\n")  # the end of a block element
            continue
        tag = item.tag
        if tag == "-text":
            parts.append((item.text_content or "").replace("\n", " "))
        elif tag == "br":
            parts.append("\n")
        elif tag not in DROPPED_TAGS:
            if tag in BLOCK_TAGS:
                parts.append("\n")
                stack.append(None)
            stack.extend(reversed(list(item.iter(include_text=True))))
    return normalise_space("".join(parts))


def _text(node: Node | None) -> str:
    return node.text(deep=True) if node is not None else ""


def _name(node: Node | None) -> str | None:
    """A sender's name: the from_name's own text, without the forwarded date in its span."""
    if node is None:
        return None
    return normalise_space(node.text(deep=False)) or None


def _reply_target(node: Node | None) -> int | None:
    """The replied-to message id, from `#go_to_messageN` (None: another chat or absent)."""
    if node is None:
        return None
    link = node.css_first("a")
    found = _REPLY_TARGET.search(link.attributes.get("href") or "") if link is not None else None
    return int(found.group(1)) if found else None
