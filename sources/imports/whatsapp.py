"""WhatsApp "Export chat" text files (Android and iOS) to Posts.

Android writes ``24.05.21, 14:03 - Name: text`` (or ``5/24/21, 2:03 PM - Name: text``),
iOS ``[24.05.21, 14:03:11] Name: text``. The date order depends on the phone's locale, so it
is decided once per file from the values seen (a component over 12 settles it; otherwise
dots mean day first, slashes with AM/PM month first). Lines without a header continue the
previous message. System lines (encryption notices, joins, deleted or media-only messages)
carry no words worth matching and are skipped. Times are the phone's local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from sources.imports.common import IdMaker, malformed
from sources.post import Post

PLATFORM = "whatsapp"
_DATE = r"(?P<d1>\d{1,4})(?P<sep>[./-])(?P<d2>\d{1,2})[./-](?P<d3>\d{1,4})"
_TIME = (
    r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:[ \u202f\u00a0]?(?P<ampm>[AaPp])\.?[ \u202f\u00a0]?[Mm]\.?)?"
)
ANDROID = re.compile(rf"^{_DATE},? {_TIME} [-\u2013] (?P<rest>.*)$")
IOS = re.compile(rf"^\u200e?\[{_DATE},? {_TIME}\] (?P<rest>.*)$")
MARKS = "\u200e\u200f\u202a\u202c\ufeff"
SYSTEM_TEXTS = (
    "messages and calls are end-to-end encrypted",
    "messages to this group are now secured",
    "сообщения и звонки защищены сквозным шифрованием",
    "хабарламалар мен қоңыраулар",
    "this message was deleted",
    "you deleted this message",
    "данное сообщение удалено",
    "вы удалили это сообщение",
    "missed voice call",
    "missed video call",
    "пропущенный аудиозвонок",
    "пропущенный видеозвонок",
)
MEDIA_ONLY = re.compile(
    r"^(<media omitted>|<без медиафайлов>|<медиафайлы отсутствуют>|<медиа файл пропущен>"
    r"|(image|video|audio|sticker|gif|document|contact card) omitted"
    r"|(изображение|видео|аудиофайл|стикер|gif|документ|карточка контакта) отсутствует"
    r"|null)$",
    re.IGNORECASE,
)
EDITED_MARK = re.compile(r"\s*<(this message was edited|сообщение изменено)>$", re.IGNORECASE)


@dataclass(slots=True)
class _Raw:
    line: int
    parts: tuple[str, str, str, str]  # d1, d2, d3, separator
    time: tuple[int, int, int, str | None]
    rest: list[str] = field(default_factory=list)


def looks_like_whatsapp(text: str) -> bool:
    """True when one of the first lines is a WhatsApp message header."""
    return any(_header(line.lstrip(MARKS)) for line in text.splitlines()[:20])


def parse_whatsapp(text: str, *, where: str, source_name: str, zone: tzinfo) -> list[Post]:
    """Parse a whole export; MalformedResponse naming the line if it is not one."""
    raws = _split(text, where)
    order = _date_order(raws)
    ids = IdMaker("wa")
    posts = []
    for raw in raws:
        post = _post(raw, order, where, zone, ids, source_name)
        if post is not None:
            posts.append(post)
    return posts


def _header(line: str) -> re.Match[str] | None:
    return IOS.match(line) or ANDROID.match(line)


def _split(text: str, where: str) -> list[_Raw]:
    raws: list[_Raw] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _header(line.lstrip(MARKS))
        if match:
            g = match.groupdict()
            seconds = int(g["s"]) if g["s"] else 0
            ampm = g["ampm"].lower() if g["ampm"] else None
            raws.append(
                _Raw(
                    number,
                    (g["d1"], g["d2"], g["d3"], g["sep"]),
                    (int(g["h"]), int(g["m"]), seconds, ampm),
                    [g["rest"]],
                )
            )
        elif raws:
            raws[-1].rest.append(line)
        elif line.strip():
            raise malformed(where, number, "not a WhatsApp chat export (no message header)")
    if not raws:
        raise malformed(where, None, "no WhatsApp messages found")
    return raws


def _date_order(raws: list[_Raw]) -> str:
    """'ymd', 'dmy' or 'mdy' for the whole file."""
    if any(len(r.parts[0]) == 4 for r in raws):
        return "ymd"
    if any(int(r.parts[0]) > 12 for r in raws):
        return "dmy"
    if any(int(r.parts[1]) > 12 for r in raws):
        return "mdy"
    if raws[0].parts[3] == "/" and any(r.time[3] for r in raws):
        return "mdy"
    return "dmy"


def _timestamp(raw: _Raw, order: str, where: str, zone: tzinfo) -> datetime:
    a, b, c = (int(p) for p in raw.parts[:3])
    year, month, day = {"ymd": (a, b, c), "dmy": (c, b, a), "mdy": (c, a, b)}[order]
    hour, minute, second, ampm = raw.time
    if ampm:
        hour = hour % 12 + (12 if ampm == "p" else 0)
    try:
        local = datetime(2000 + year if year < 100 else year, month, day, hour, minute, second)
        return local.replace(tzinfo=zone).astimezone(UTC)
    except ValueError:
        raise malformed(where, raw.line, "impossible date or time in message header") from None


def _post(
    raw: _Raw, order: str, where: str, zone: tzinfo, ids: IdMaker, source_name: str
) -> Post | None:
    created_at = _timestamp(raw, order, where, zone)
    first, *more = raw.rest
    author, sep, body = first.partition(": ")
    if not sep:
        return None  # "X joined", "Y changed the group name": no author, no words
    text = "\n".join([body, *more]).strip().strip(MARKS).strip()
    text, edits = EDITED_MARK.subn("", text)
    lowered = text.lower()
    if not text or MEDIA_ONLY.match(lowered) or lowered.startswith(SYSTEM_TEXTS):
        return None
    author = author.strip(MARKS).strip()
    return Post(
        source=source_name,
        platform=PLATFORM,
        external_id=ids.make(created_at, author, text),
        text=text,
        author=author or None,
        created_at=created_at,
        edited=bool(edits),
        raw={"import": "whatsapp", "file": Path(where).name, "line": raw.line},
    )
