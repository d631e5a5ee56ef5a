"""Telegram Desktop "Export chat history" JSON (`result.json`) to Posts.

The export holds one chat (`{"name", "type", "id", "messages": [...]}`) or, for "Export
all data", many (`{"chats": {"list": [...]}}`). A message's `text` is a string or a list
of strings and entity objects (`{"type": "link", "text": ...}`); service messages (joins,
pins, calls) are skipped; `edited` marks edits. `date_unixtime` (UTC) is preferred over the
local `date`. The external id is chat id + message id, stable across re-exports.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from sources.imports.common import malformed
from sources.post import Post

PLATFORM = "telegram_export"


def looks_like_telegram_export(data: Any) -> bool:
    """True for a decoded result.json (one chat or an "all data" export)."""
    return isinstance(data, dict) and (
        isinstance(data.get("messages"), list) or isinstance(data.get("chats"), dict)
    )


def parse_telegram_export(text: str, *, where: str, source_name: str, zone: tzinfo) -> list[Post]:
    """Parse result.json text; MalformedResponse naming the line of a JSON syntax error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise malformed(where, exc.lineno, f"invalid JSON ({exc.msg})") from None
    if not looks_like_telegram_export(data):
        raise malformed(where, None, "not a Telegram Desktop export (no 'messages' or 'chats')")
    chats = data["chats"].get("list", []) if "chats" in data else [data]
    posts: list[Post] = []
    for chat in chats:
        if not isinstance(chat, dict) or not isinstance(chat.get("messages", []), list):
            raise malformed(where, None, "a chat without a 'messages' list")
        for message in chat.get("messages", []):
            post = post_from_message(message, chat=chat, where=where, source=source_name, zone=zone)
            if post is not None:
                posts.append(post)
    return posts


def post_from_message(
    message: Any, *, chat: dict[str, Any], where: str, source: str, zone: tzinfo
) -> Post | None:
    """One exported message to a Post; None for service messages and ones without text."""
    if not isinstance(message, dict) or "id" not in message:
        raise malformed(where, None, "a message without an 'id'")
    if message.get("type", "message") != "message":
        return None
    text = entities_text(message.get("text", "")).strip()
    if not text:
        return None
    author = message.get("from") or message.get("author") or chat.get("name")
    raw = {"import": "telegram_desktop", "file": Path(where).name, "chat_type": chat.get("type")}
    if message.get("forwarded_from"):
        raw["forwarded_from"] = message["forwarded_from"]
    if message.get("reply_to_message_id"):
        raw["reply_to"] = message["reply_to_message_id"]
    return Post(
        source=source,
        platform=PLATFORM,
        external_id=external_id(chat.get("id", "chat"), message["id"]),
        text=text,
        author=str(author) if author else None,
        created_at=_when(message, "date", zone, where),
        edited=bool(message.get("edited") or message.get("edited_unixtime")),
        raw=raw,
    )


def external_id(chat: object, message_id: object) -> str:
    """`tg:<chat>:<message id>`: stable across re-exports of the chat (JSON and HTML alike)."""
    return f"tg:{chat}:{message_id}"


def entities_text(value: Any) -> str:
    """Flatten `text` (a string, or a list of strings and `{"text": ...}` entities)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in value
            if isinstance(part, str | dict)
        )
    return ""


def _when(message: dict[str, Any], key: str, zone: tzinfo, where: str) -> datetime | None:
    unix = message.get(f"{key}_unixtime")
    try:
        if unix is not None:
            return datetime.fromtimestamp(int(unix), tz=UTC)
        if message.get(key):
            local = datetime.fromisoformat(str(message[key]))
            return (local if local.tzinfo else local.replace(tzinfo=zone)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise malformed(where, None, f"message {message.get('id')}: invalid {key!r}") from None
    return None
