"""Keeping defenders' contact details out of evidence bundles.

A leaked phone number is the evidence of doxxing, and also the most dangerous thing a
bundle could carry: bundles travel to lawyers, platforms and police by e-mail. Every string
that goes into a bundle passes through `ContactRedactor`, which finds every tracked contact
detail of every defender (the matcher's own contact index: any notation it recognises) and
overwrites it character for character with `MASK`. Offsets stay valid, so the matches
recorded against the collected text still point at the right places; the redactions are
listed with their kind ("phone number (tracked)"), never their value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monitor.errors import ConfigurationError, InputError
from monitor.matching.engine import MAX_TEXT, Matcher
from monitor.matching.normalize import normalize_contact
from monitor.matching.types import DefenderProfile

MASK = "█"
#: What a bundle says instead of a contact detail.
CONTACT_DESCRIPTIONS = {
    "phone": "phone number (tracked)",
    "email": "e-mail address (tracked)",
    "address": "home address (tracked)",
    "id_number": "ID number (tracked)",
}
#: Overlap between windows when a string is longer than the matcher reads at once.
_OVERLAP = 512


@dataclass(frozen=True, slots=True)
class Redaction:
    """A span of a text that held a tracked contact detail, now masked."""

    kind: str
    start: int
    end: int

    @property
    def description(self) -> str:
        """The kind in words, e.g. "phone number (tracked)"."""
        return describe_contact(self.kind)


def describe_contact(kind: str) -> str:
    """A contact detail's kind in words (what a bundle shows instead of the detail)."""
    return CONTACT_DESCRIPTIONS.get(kind, f"{kind} (tracked)")


class ContactRedactor:
    """Masks every tracked contact detail of the given defenders in strings and JSON values."""

    def __init__(self, profiles: Sequence[DefenderProfile]) -> None:
        """Index the profiles' contact details (names are not redacted: they are the subject)."""
        self._matcher = Matcher.build(profiles)
        self._values = _plain_values(profiles)
        alternatives = sorted(self._values, key=len, reverse=True)
        self._literal = (
            re.compile("|".join(re.escape(v) for v in alternatives), re.IGNORECASE)
            if alternatives
            else None
        )

    def redact(self, text: str) -> tuple[str, list[Redaction]]:
        """The text with contact details masked, and where they were."""
        spans = self._spans(text)
        if not spans:
            return text, []
        chars = list(text)
        for span in spans:
            chars[span.start : span.end] = MASK * (span.end - span.start)
        return "".join(chars), spans

    def redact_value(self, value: Any) -> Any:
        """A JSON value with every string in it (keys included) redacted."""
        if isinstance(value, str):
            return self.redact(value)[0]
        if isinstance(value, dict):
            return {self.redact(str(k))[0]: self.redact_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.redact_value(item) for item in value]
        return value

    def check_clean(self, name: str, data: bytes) -> None:
        """Refuse a file that still holds a contact detail as entered or normalised.

        The last line of defence, after `redact`: it should never fire; if it does, the
        export stops rather than leak a number.
        """
        text = data.decode("utf-8", "replace").casefold()
        for value in self._values:
            if value in text:
                raise ConfigurationError(
                    f"export stopped: {name} would contain a tracked contact detail that the "
                    "redaction missed; please report this as a bug"
                )

    def _spans(self, text: str) -> list[Redaction]:
        found: set[Redaction] = set()
        step = MAX_TEXT - _OVERLAP
        for offset in range(0, max(len(text), 1), step):
            window = text[offset : offset + MAX_TEXT]
            for hit in self._matcher.find(window):
                if hit.kind in CONTACT_DESCRIPTIONS:
                    found.add(Redaction(hit.kind, offset + hit.start, offset + hit.end))
        if self._literal is not None:  # the detail exactly as entered, even where unparsed
            for m in self._literal.finditer(text):
                kind = self._values.get(m.group(0).casefold(), "contact")
                found.add(Redaction(kind, m.start(), m.end()))
        return _merged(sorted(found, key=lambda r: (r.start, -r.end, r.kind)))


def _merged(spans: list[Redaction]) -> list[Redaction]:
    """Overlapping spans as one (the kind of the one that starts first, the longest)."""
    merged: list[Redaction] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last is not None and span.start < last.end:
            merged[-1] = Redaction(last.kind, last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return merged


def _plain_values(profiles: Sequence[DefenderProfile]) -> dict[str, str]:
    """Each contact detail as entered (phones and e-mails also normalised) and its kind."""
    values: dict[str, str] = {}
    for profile in profiles:
        for kind, entered in (
            *(("phone", v) for v in profile.phones),
            *(("email", v) for v in profile.emails),
            *(("address", v) for v in profile.addresses),
        ):
            values[entered.strip().casefold()] = kind
            if kind == "address":
                continue  # the normalised address is an internal key, not text
            try:
                normalised = normalize_contact(kind, entered, country=profile.country)
            except InputError:  # unreadable: the matcher cannot find it; the entered form stays
                continue
            values[normalised.casefold()] = kind
    return {value: kind for value, kind in values.items() if len(value) >= 5}
