"""The matcher: one object, built once from all defenders, that finds every mention in a text.

`Matcher.build(profiles)` compiles the name automaton and the contact lookup tables;
`Matcher.find(text)` returns `MatchSpan`s with offsets into the original text. Text is
folded to a skeleton on a fast path first; offsets are only resolved for texts with a
candidate hit. `find` never raises on any input string.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from monitor.matching import names
from monitor.matching.contacts import ContactIndex, Hit, surface_hits
from monitor.matching.textnorm import OffsetMap, skeleton
from monitor.matching.types import DefenderProfile, MatchSpan

log = logging.getLogger(__name__)

MAX_TEXT = 1_000_000
_CONNECTORS = frozenset(
    skeleton(w).strip() for w in ["и", "and", "мен", "бен", "пен", "және", "&", "ve", "et", "y"]
)
_CONNECTORS = _CONNECTORS | {""}


class Matcher:
    """Finds defenders' names, handles and leaked contact details in post text."""

    def __init__(self, profiles: Sequence[DefenderProfile]) -> None:
        """Use `Matcher.build`; this compiles everything from `profiles`."""
        self._ids = [p.id for p in profiles]
        self._automaton = names.build_automaton(profiles)
        self._first_names = names.first_name_forms(profiles)
        self._contacts = ContactIndex(profiles)

    @classmethod
    def build(cls, profiles: Sequence[DefenderProfile]) -> Matcher:
        """Compile a matcher for these defenders (one automaton over all name forms)."""
        return cls(list(profiles))

    def find(self, text: str) -> list[MatchSpan]:
        """Every mention in `text`, sorted by (start, end); never raises on any string."""
        try:
            return self._find(text[:MAX_TEXT] if isinstance(text, str) else "")
        except Exception:  # defensive boundary: a post must never stop the pipeline
            log.exception("matcher failed on one text (length %d)", len(text))
            return []

    def _find(self, text: str) -> list[MatchSpan]:
        """The work of `find`, without the safety net."""
        s = skeleton(text)
        skel_hits = self._name_hits(s) + list(self._contacts.skeleton_hits(s))
        hits: list[Hit] = list(surface_hits(self._contacts, text))
        if skel_hits:
            om = OffsetMap(text)  # offsets only for posts with a candidate hit
            if om.skeleton != s:  # cannot happen; keep the offsets honest if it ever does
                log.error("matcher: skeleton paths disagree; name hits dropped")
            else:
                hits += [
                    (w, k, _plus(text, k, om.start(a)), _dot(text, k, om.end(b - 1)))
                    for w, k, a, b in skel_hits
                ]
                hits = [h for h in hits if self._initial_ok(text, h)]
        return self._spans(text, hits)

    def _name_hits(self, s: str) -> list[Hit]:
        """Name hits in skeleton coordinates, with surname pairs resolved."""
        if self._automaton is None:
            return []
        raw = list(names.raw_hits(self._automaton, s))
        out: list[Hit] = []
        surnames = [h for h in raw if h.kind == names.SURNAME]
        for h in raw:
            if h.kind != names.SURNAME:
                code = "name" if h.kind in (names.FULL, names.ALIAS) else f"name{h.kind}"
                out.append((h.defender, code, h.start, h.end))
        for h in surnames:  # "Касымовтың Ерлан": reversed order, ending on the surname
            end = names.first_after(s, h.end, self._first_names[h.defender])
            if end is not None and not names.is_place(s, h.start, end):
                out.append((h.defender, "name", h.start, end))
        surnames.sort(key=lambda h: h.start)
        for i, a in enumerate(surnames):
            for b in surnames[i + 1 : i + 8]:
                near = a.defender != b.defender and a.end < b.start <= a.end + 8
                if near and s[a.end : b.start].strip() in _CONNECTORS:
                    out.append((a.defender, "name", a.start, a.end))
                    out.append((b.defender, "name", b.start, b.end))
        return out

    def _initial_ok(self, text: str, hit: Hit) -> bool:
        """An initial must look like one: upper case, and followed by a dot when it comes first."""
        _, code, start, end = hit
        if code.startswith("name") and (
            "@" in text[end : end + 1] or "@" in text[start - 1 : start]
        ):
            return False  # part of an e-mail address or a handle, judged as such
        if code in ("name", "phone", "address", "email", "handle"):
            return True
        if code == f"name{names.INITIAL_BEFORE}":
            letter = text[start : start + 1]
            return letter.isupper() and "." in text[start + 1 : start + 3]
        tail = text[start:end].rstrip().removesuffix(".")
        return bool(tail) and tail[-1].isupper()

    def _spans(self, text: str, hits: list[Hit]) -> list[MatchSpan]:
        """Deduplicated spans: where one defender's mentions overlap, the earliest, longest wins."""
        best: list[tuple[int, int, str, str]] = []
        items = sorted(
            (self._ids[who], "name" if code.startswith("name") else code, a, -b)
            for who, code, a, b in hits
        )
        for who_id, kind, a, neg_b in items:
            if best and best[-1][2:] == (who_id, kind) and a < best[-1][1]:
                continue  # overlaps a longer or earlier mention of the same defender
            best.append((a, -neg_b, who_id, kind))
        return [
            MatchSpan(defender=d, kind=k, start=a, end=b, text=text[a:b])  # type: ignore[arg-type]
            for a, b, d, k in sorted(set(best), key=lambda x: (x[0], x[1], x[2], x[3]))
        ]


def _plus(text: str, kind: str, start: int) -> int:
    """Include the "+" of an international phone number in its span."""
    return start - 1 if kind == "phone" and text[start - 1 : start] in ("+", "＋") else start


_INITIAL_AFTER = f"name{names.INITIAL_AFTER}"


def _dot(text: str, kind: str, end: int) -> int:
    """Include the dot of a trailing initial ("Нурланова А.") in its span."""
    return end + 1 if kind == _INITIAL_AFTER and text[end : end + 1] == "." else end
