"""Canonical forms of contact details: the same detail in any notation gives the same string.

The lead computes a keyed HMAC of `normalize_contact(...)` to store and look up contact
details without keeping them in the clear, so this function must be stable: phones become
E.164, e-mails lower case with obfuscations undone, addresses a "street|house|flat" key.
"""

from __future__ import annotations

import re

import phonenumbers

from monitor.errors import InputError
from monitor.matching.textnorm import skeleton

DEFAULT_REGION = "KZ"
#: Regions tried, in order, for a number written without a country code.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "KZ": ("RU", "KG", "UZ", "TJ", "TM", "CN"),
    "RU": ("KZ", "BY", "UA", "GE", "AM", "AZ"),
    "KG": ("KZ", "UZ", "TJ", "RU"),
    "UZ": ("KZ", "KG", "TJ", "TM", "RU"),
    "TJ": ("UZ", "KG", "AF", "RU"),
}
_EMAIL_AT = re.compile(
    r"\s*(?:\[\s*(?:at|собака)\s*\]|\(\s*(?:at|собака)\s*\)|\s(?:at|собака)\s|＠)\s*", re.I
)
_EMAIL_DOT = re.compile(
    r"\s*(?:\[\s*(?:dot|точка)\s*\]|\(\s*(?:dot|точка)\s*\)|\s(?:dot|точка)\s)\s*", re.I
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

STREET_MARKERS = frozenset(
    skeleton(w).strip()
    for w in [
        "ул",
        "улица",
        "улицы",
        "көшесі",
        "көше",
        "пр",
        "проспект",
        "пр-т",
        "даңғылы",
        "мкр",
        "микрорайон",
        "шағын",
        "ауданы",
        "бульвар",
        "пер",
        "переулок",
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "rd",
    ]
)
HOUSE_MARKERS = frozenset(skeleton(w).strip() for w in ["д", "дом", "үй", "house", "no", "№", "бл"])
FLAT_MARKERS = frozenset(
    skeleton(w).strip() for w in ["кв", "квартира", "пәтер", "п", "apt", "apartment", "flat"]
)
_NUMBER = re.compile(r"[0-9]+[a-z]?")
_VOWELS_END = re.compile(r"[aeiou]+$")


def normalize_contact(kind: str, value: str, *, country: str | None) -> str:
    """The canonical form of one contact detail; InputError when it cannot be read."""
    if kind == "phone":
        return normalize_phone(value, country=country)
    if kind == "email":
        return normalize_email(value)
    if kind == "address":
        street, house, flat = parse_address(value)
        return f"{street}|{house}|{flat}"
    raise InputError(f"unknown contact kind {kind!r}")


def parse_phone(value: str, *, country: str | None) -> phonenumbers.PhoneNumber:
    """Parse a phone number, trying the default region and then its neighbours."""
    region = (country or DEFAULT_REGION).upper()
    digits = value.translate(str.maketrans("Oo", "00"))
    for attempt in (region, *NEIGHBOURS.get(region, ())):
        try:
            number = phonenumbers.parse(digits, attempt)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    raise InputError("phone number is not a valid number in its region or a neighbouring one")


def normalize_phone(value: str, *, country: str | None) -> str:
    """E.164 form, e.g. "+77015552347"."""
    number = parse_phone(value, country=country)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(value: str) -> str:
    """Lower-case address with "[at]"/"собака"/"dot"-style obfuscations undone."""
    text = _EMAIL_DOT.sub(".", _EMAIL_AT.sub("@", value.strip())).replace(" ", "")
    text = text.casefold()
    if not _EMAIL.fullmatch(text):
        raise InputError("e-mail address is not of the form local@domain.tld")
    return text


def street_stem(word: str) -> str:
    """A street name's key: skeleton without trailing vowels ("Абая"/"Абай" → "ab")."""
    return _VOWELS_END.sub("", word) or word


def _is_name(token: str) -> bool:
    """A word that can be a street name (not a marker, not a number)."""
    return token.isalpha() and token not in STREET_MARKERS and token not in HOUSE_MARKERS


def _street_word(tokens: list[str]) -> str:
    """The street name's stem: the word beside a street marker, else the last word."""
    for i, token in enumerate(tokens):
        if token in STREET_MARKERS:
            if i + 1 < len(tokens) and _is_name(tokens[i + 1]):
                return street_stem(tokens[i + 1])
            if i > 0 and _is_name(tokens[i - 1]):
                return street_stem(tokens[i - 1])
    names = [t for t in tokens if _is_name(t)]
    return street_stem(names[-1]) if names else ""


def parse_address(value: str) -> tuple[str, str, str]:
    """(street stem, house, flat) of an address such as "ул. Абая 152, кв. 34, Алматы"."""
    tokens = skeleton(value).split()
    numbers = [i for i, t in enumerate(tokens) if _NUMBER.fullmatch(t)]
    if not numbers:
        raise InputError("address has no house number")
    street = _street_word(tokens[: numbers[0]])
    if not street:
        raise InputError("address has no street name before the house number")
    house = tokens[numbers[0]]
    flat = ""
    for i in numbers[1:]:
        if (i > 0 and tokens[i - 1] in FLAT_MARKERS) or (
            i + 1 < len(tokens) and tokens[i + 1] in FLAT_MARKERS
        ):
            flat = tokens[i]
            break
    else:
        if len(numbers) > 1:
            flat = tokens[numbers[1]]
    return street, house, flat
