"""Finding tracked contact details: phones and addresses (on the skeleton), e-mails and handles.

Only details that equal a tracked defender's detail are reported: a number one digit off,
an order number, a price or a hotline never equals a tracked number, so it is not a match.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence

import phonenumbers

from monitor.errors import InputError
from monitor.matching.normalize import (
    FLAT_MARKERS,
    HOUSE_MARKERS,
    normalize_email,
    parse_address,
    parse_phone,
    street_stem,
)
from monitor.matching.numbers import digit_runs
from monitor.matching.textnorm import skeleton
from monitor.matching.types import DefenderProfile

log = logging.getLogger(__name__)

Hit = tuple[int, str, int, int]  # (defender index, kind, start, end)
_MAX_GROUPS = 12
_MAX_DIGITS = 16
_NUMBER = re.compile(r"[0-9]+[a-z]?")


def phone_keys(number: phonenumbers.PhoneNumber) -> set[str]:
    """Every digit string the number can be written as: +CC, 00CC, 810CC, trunk 8/0, national."""
    cc = str(number.country_code)
    nsn = phonenumbers.national_significant_number(number)
    keys = {cc + nsn, "00" + cc + nsn, "810" + cc + nsn, nsn}
    region = phonenumbers.region_code_for_number(number)
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region or "", None)
    if meta is not None and meta.national_prefix:
        keys.add(meta.national_prefix + nsn)
    if cc == "7":
        keys.add("8" + nsn)
    return keys


class ContactIndex:
    """Lookup tables for every tracked phone, address, e-mail and handle."""

    def __init__(self, profiles: Sequence[DefenderProfile]) -> None:
        """Index every profile's contact details; unreadable ones are skipped (and counted)."""
        self.phones: dict[str, set[int]] = {}
        self.houses: dict[str, list[tuple[int, str, str]]] = {}
        self.emails: dict[str, set[int]] = {}
        self.handles: dict[str, set[int]] = {}
        skipped = 0
        for who, p in enumerate(profiles):
            skipped += self._add_profile(who, p)
        if skipped:
            log.warning(
                "matcher: %d contact details could not be read and are not matched", skipped
            )

    def _add_profile(self, who: int, p: DefenderProfile) -> int:
        """Index one profile; returns how many details were skipped."""
        skipped = 0
        for kind, values in (("phone", p.phones), ("email", p.emails), ("address", p.addresses)):
            for value in values:
                try:
                    self._add(who, kind, value, p.country)
                except InputError:
                    skipped += 1
        for handle in p.handles:
            key = handle_key(handle)
            if key:
                self.handles.setdefault(key, set()).add(who)
        return skipped

    def _add(self, who: int, kind: str, value: str, country: str | None) -> None:
        """Index one contact detail."""
        if kind == "phone":
            for key in phone_keys(parse_phone(value, country=country)):
                self.phones.setdefault(key, set()).add(who)
        elif kind == "email":
            self.emails.setdefault(normalize_email(value), set()).add(who)
        else:
            street, house, flat = parse_address(value)
            self.houses.setdefault(house, []).append((who, street, flat))

    def skeleton_hits(self, s: str) -> Iterator[Hit]:
        """Phone and address hits in skeleton coordinates."""
        if self.phones:
            for run in digit_runs(s):
                yield from self._phone_hits(run)
        if self.houses:
            yield from self._address_hits(s)

    def _phone_hits(self, run: list) -> Iterator[Hit]:
        """Contiguous group sequences whose digits equal a tracked number's notation."""
        for i in range(len(run)):
            digits = ""
            for j in range(i, min(len(run), i + _MAX_GROUPS)):
                digits += run[j].digits
                if len(digits) > _MAX_DIGITS:
                    break
                for who in self.phones.get(digits, ()):
                    yield (who, "phone", run[i].start, run[j].end)

    def _address_hits(self, s: str) -> Iterator[Hit]:
        """Street (within four words before) + house number (+ flat, which must agree)."""
        tokens = list(re.finditer(r"\S+", s))
        for k, m in enumerate(tokens):
            for who, street, flat in self.houses.get(m.group(0), ()):
                window = tokens[max(0, k - 4) : k]
                first = next((t for t in window if street_stem(t.group(0)) == street), None)
                if first is None:
                    continue
                end = _flat_end(tokens, k, flat)
                if end is not None:
                    yield (who, "address", first.start(), end)


_UNIT_WORDS = "км м кг тг тенге руб рублей лет год года жыл km kg m tenge years year min мин"
_UNITS = frozenset(skeleton(w).strip() for w in _UNIT_WORDS.split())


def _flat_end(tokens: list[re.Match[str]], k: int, flat: str) -> int | None:
    """End of the address mention; None for a different flat or a quantity ("152 км")."""
    if k + 1 < len(tokens) and tokens[k + 1].group(0) in _UNITS:
        return None
    for t in tokens[k + 1 : k + 4]:
        word = t.group(0)
        if _NUMBER.fullmatch(word):
            if not flat:
                return tokens[k].end()
            return t.end() if word == flat else None
        if word not in FLAT_MARKERS and word not in HOUSE_MARKERS:
            break
    return tokens[k].end()


def handle_key(handle: str) -> str:
    """The lookup key of a handle or profile URL: lower case, no "@", no URL prefix."""
    m = PROFILE_URL.search(handle)
    if m:
        return m.group(1).lower().rstrip(".")
    return handle.strip().lstrip("@").lower().rstrip(".")


PROFILE_URL = re.compile(
    r"(?:https?://)?(?:www\.|m\.|mobile\.)?(?:(?:t|telegram)\.me/|instagram\.com/|tiktok\.com/@|"
    r"(?:x|twitter)\.com/|vk\.com/|(?:facebook|fb)\.com/|youtube\.com/@|threads\.net/@)"
    r"([A-Za-z0-9_.]+)",
    re.I,
)
AT_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][A-Za-z0-9_.]{0,63})")
_AT = r"(?:\s*(?:@|＠|\[\s*(?:at|собака|@)\s*\]|\(\s*(?:at|собака|@)\s*\)|\{\s*at\s*\})\s*|\s+(?:at|собака|собачка)\s+)"  # noqa: E501
_DOT = r"(?:\s*(?:\.|\[\s*(?:dot|точка|\.)\s*\]|\(\s*(?:dot|точка|\.)\s*\)|\{\s*dot\s*\})\s*|\s+(?:dot|точка|нүкте)\s+)"  # noqa: E501
_LABEL = r"[A-Za-z0-9_%+\-]+"
EMAIL = re.compile(
    rf"(?<![\w.+\-])(?P<local>{_LABEL}(?:{_DOT}{_LABEL})*){_AT}(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})+)",
    re.I,
)
_EMAIL_HINT = re.compile(r"@|＠|\bat\b|собак|\(at\)|\[at\]", re.I)


def surface_hits(index: ContactIndex, text: str) -> Iterator[Hit]:
    """E-mail and handle hits in original-text coordinates."""
    if index.emails and _EMAIL_HINT.search(text):
        for m in EMAIL.finditer(text):
            try:
                key = normalize_email(f"{_undot(m.group('local'))}@{_undot(m.group('domain'))}")
            except InputError:
                continue
            for who in index.emails.get(key, ()):
                yield (who, "email", m.start(), m.end())
    if index.handles and ("@" in text or "/" in text):
        for pattern in (AT_HANDLE, PROFILE_URL):
            for m in pattern.finditer(text):
                for who in index.handles.get(m.group(1).lower().rstrip("."), ()):
                    yield (
                        who,
                        "handle",
                        m.start(),
                        m.end() - (len(m.group(1)) - len(m.group(1).rstrip("."))),
                    )


def _undot(part: str) -> str:
    """Undo "dot"/"точка" obfuscations inside one part of an e-mail address."""
    return re.sub(_DOT, ".", part, flags=re.I)
