"""Deriving the surface forms of a defender's name: case forms, orders, initials, scripts.

Scripts and romanisations are handled by the skeleton (`textnorm`), so this module only
generates the forms that differ in letters: Russian case forms (petrovich, gender-aware)
and the combinations people write (first + last, last + first, initial + last).
Kazakh case and possessive endings are pure suffixes, allowed by `KAZAKH_SUFFIXES`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from petrovich.enums import Case, Gender
from petrovich.main import Petrovich

from monitor.matching.textnorm import skeleton

_PETROVICH = Petrovich()
_PATRONYMIC = re.compile(
    r"(?:вич|вна|ична|[уұ]лы|[кқ]ызы|uly|uly|qyzy|kyzy|ovich|ovna|evna)$", re.I
)
_SURNAME_END = re.compile(
    r"(?:ова|ева|ёва|ина|ова|ов|ев|ин|ская|ский|енко|ko|ova|eva|ov|ev|ina|skaya|skii|sky)$", re.I
)
_LAT_TO_CYR = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"),
    ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("f", "ф"), ("h", "х"), ("j", "ж"), ("q", "к"), ("c", "к"), ("x", "кс"), ("w", "в"),
]  # fmt: skip

#: Kazakh endings appended to a name: case, possessive and plural, in their skeleton form.
_KK_CASE = ["", "нің", "ның", "дің", "дың", "тің", "тың", "ге", "ға", "ке", "қа", "на", "не",
            "а", "е", "ні", "ны", "ді", "ды", "ті", "ты", "н", "да", "де", "та", "те", "нда",
            "нде", "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен", "пен", "ша", "ше"]  # fmt: skip  # noqa: E501
_KK_POSS = ["", "сы", "сі", "ы", "і"]
_KK_PLURAL = ["", "лар", "лер", "дар", "дер", "тар", "тер"]
_OTHER = ["s", "ы", "и", "у", "ю", "ой", "ом", "ым", "ой", "е", "а", "я", "ға", "ке"]


def _suffixes() -> frozenset[str]:
    """Every allowed ending, folded to the skeleton."""
    out = {skeleton(s).strip() for s in _OTHER}
    for plural, poss, case in itertools.product(_KK_PLURAL, _KK_POSS, _KK_CASE):
        out.add(skeleton(plural + poss + case).strip())
    return frozenset(s for s in out if s)


SUFFIXES = _suffixes()
MAX_SUFFIX = max(len(s) for s in SUFFIXES)


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name split into first name and surname (patronymic dropped)."""

    first: str
    last: str


def split_name(name: str) -> NameParts | None:
    """First name and surname of a "First [Patronymic] Last" name; None for one word."""
    tokens = [t for t in re.split(r"\s+", name.strip()) if t]
    if len(tokens) > 2:
        tokens = [t for t in tokens if not _PATRONYMIC.search(t)] or tokens
    if len(tokens) < 2:
        return None
    first, last = tokens[0], tokens[-1]
    if _SURNAME_END.search(first) and not _SURNAME_END.search(last):
        first, last = last, first
    return NameParts(first=first, last=last)


def to_cyrillic(word: str) -> str:
    """A plain Latin → Russian Cyrillic rendering, enough to feed petrovich."""
    low = word.lower()
    out = []
    i = 0
    while i < len(low):
        for lat, cyr in _LAT_TO_CYR:
            if low.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(low[i])
            i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _gender(gender: str | None, last: str) -> Gender:
    """The petrovich gender: the given one, else guessed from the surname's ending."""
    if gender:
        g = gender.lower()
        if g.startswith("f") or g.startswith("ж"):
            return Gender.FEMALE
        if g.startswith("m") or g.startswith("м"):
            return Gender.MALE
    return Gender.FEMALE if re.search(r"(?:ва|на|ая|a)$", last.lower()) else Gender.MALE


@lru_cache(maxsize=65536)
def case_forms(word: str, role: str, gender: str | None, surname: str) -> tuple[str, ...]:
    """Skeletons of the nominative and the five oblique Russian cases, in petrovich's order."""
    cyr = word if re.search(r"[а-яёәғқңөұүһі]", word, re.I) else to_cyrillic(word)
    g = _gender(gender, surname)
    forms = [skeleton(word).strip()]
    for case in Case.CASES:
        try:
            if role == "first":
                form = _PETROVICH.firstname(cyr, case, g)
            else:
                form = _PETROVICH.lastname(cyr, case, g)
        except Exception:  # petrovich has no error contract; a failed form falls back
            form = cyr
        forms.append(skeleton(form or cyr).strip() or forms[0])
    return tuple(forms)
