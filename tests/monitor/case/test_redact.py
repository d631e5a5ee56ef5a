"""Contact details are masked in any notation, anywhere in a value; names are kept."""

from __future__ import annotations

import pytest

from monitor.case.redact import MASK, ContactRedactor
from monitor.errors import ConfigurationError
from monitor.matching.engine import MAX_TEXT
from monitor.matching.types import DefenderProfile

PROFILE = DefenderProfile(
    id="saule",
    name="Сауле Вымышленная",
    phones=("+7 701 555 23 47",),
    emails=("saule.v@example.org",),
    addresses=("ул. Абая 152, кв. 34, Алматы",),
    country="KZ",
)


@pytest.fixture(scope="module")
def redactor() -> ContactRedactor:
    return ContactRedactor([PROFILE])


@pytest.mark.parametrize(
    ("text", "secret", "kind"),
    [
        ("звоните 8 (701) 555-23-47 вечером", "8 (701) 555-23-47", "phone"),
        ("whatsapp +77015552347!", "+77015552347", "phone"),
        ("пишите SAULE.V@EXAMPLE.ORG", "SAULE.V@EXAMPLE.ORG", "email"),
        ("пишите saule.v [at] example [dot] org", "saule.v [at] example [dot] org", "email"),
        ("живёт: ул. Абая 152, кв. 34, Алматы", "ул. Абая 152, кв. 34, Алматы", "address"),
    ],
)
def test_each_notation_is_masked_in_place(
    redactor: ContactRedactor, text: str, secret: str, kind: str
) -> None:
    masked, (redaction,) = redactor.redact("Сауле Вымышленная: " + text)
    start = masked.index(MASK)
    assert masked == ("Сауле Вымышленная: " + text).replace(secret, MASK * len(secret))
    assert (redaction.kind, redaction.start, redaction.end) == (kind, start, start + len(secret))
    assert redaction.description.endswith("(tracked)")


def test_other_numbers_and_names_are_kept(redactor: ContactRedactor) -> None:
    text = "Сауле Вымышленная, заказ 8 (701) 555-23-48, горячая линия 8 800 080 77 77"
    assert redactor.redact(text) == (text, [])


def test_nested_values_and_keys(redactor: ContactRedactor) -> None:
    value = {"+7 701 555 23 47": ["x", {"deep": "tel:+77015552347"}], "n": 3, "ok": None}
    assert redactor.redact_value(value) == {
        MASK * 16: ["x", {"deep": "tel:" + MASK * 12}],
        "n": 3,
        "ok": None,
    }


def test_a_number_past_the_matchers_window_is_masked(redactor: ContactRedactor) -> None:
    text = "ж " * (MAX_TEXT // 2) + "звоните 8 701 555 23 47"
    masked, (redaction,) = redactor.redact(text)
    assert redaction.start > MAX_TEXT and masked.endswith(MASK * len("8 701 555 23 47"))


def test_the_last_check_refuses_what_slipped_through(redactor: ContactRedactor) -> None:
    redactor.check_clean("posts/post-1.json", "Сауле Вымышленная ████".encode())
    with pytest.raises(ConfigurationError, match=r"export stopped: posts/post-1\.json"):
        redactor.check_clean("posts/post-1.json", b'{"text": "+77015552347"}')
