"""Monitoring requests: consent is required, the e-mail and message are stored encrypted."""

from __future__ import annotations

import pytest
from builders import NOW
from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.request.service import RequestInvalid, read_contact, submit_monitoring_request
from monitor.security.keys import derive_keys

GOOD = {
    "full_name": "Жанар Вымышленная",
    "contact_email": "zhanar@example.org",
    "handles": "@zhanar_fictional",
    "message": "Fictional: my number was posted yesterday.",
    "consent": True,
}


def test_stored_encrypted(session: Session, settings: Settings) -> None:
    keys = derive_keys(settings)
    row = submit_monitoring_request(session, data=GOOD, keys=keys, now=NOW)
    assert row.id and row.status == "new" and row.consent_at == NOW
    assert b"zhanar@example.org" not in row.contact_email_ciphertext
    assert read_contact(row, keys=keys) == (GOOD["contact_email"], GOOD["message"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": False}, "consent"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"full_name": ""}, "full_name"),
        ({"message": "x" * 6000}, "message"),
    ],
)
def test_invalid_requests_name_the_field(
    session: Session, settings: Settings, change: dict[str, object], field: str
) -> None:
    with pytest.raises(RequestInvalid) as caught:
        submit_monitoring_request(session, data=GOOD | change, keys=derive_keys(settings), now=NOW)
    assert field in caught.value.errors
