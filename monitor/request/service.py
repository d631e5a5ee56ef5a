"""Accepting monitoring requests: validate, encrypt what is sensitive, store.

Nothing about a request is logged or audited beyond its id: a request reveals who fears
being targeted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from monitor.errors import InputError
from monitor.models import MonitoringRequest
from monitor.request.schemas import MonitoringRequestCreate
from monitor.security.crypto import ContactCipher
from monitor.security.keys import Keys

EMAIL_KIND = "request_email"
MESSAGE_KIND = "request_message"


class RequestInvalid(InputError):
    """The form has mistakes; `errors` maps each field to a message a person can act on."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("please correct the marked fields")
        self.errors = errors


def validate_request(data: Mapping[str, Any]) -> MonitoringRequestCreate:
    """The validated request, or RequestInvalid naming each wrong field."""
    try:
        return MonitoringRequestCreate.model_validate(dict(data))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            message = str(error.get("ctx", {}).get("error") or error["msg"])
            errors.setdefault(field, message.removeprefix("Value error, "))
        raise RequestInvalid(errors) from None


def submit_monitoring_request(
    session: Session, *, data: Mapping[str, Any], keys: Keys, now: datetime
) -> MonitoringRequest:
    """Validate and store a request; the e-mail and message are encrypted at rest."""
    valid = validate_request(data)
    cipher = ContactCipher(keys.encryption)
    request = MonitoringRequest(
        full_name=valid.full_name,
        contact_email_ciphertext=cipher.encrypt(EMAIL_KIND, valid.contact_email),
        handles=valid.handles,
        message_ciphertext=cipher.encrypt(MESSAGE_KIND, valid.message),
        consent_at=now,
        status="new",
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request


def read_contact(request: MonitoringRequest, *, keys: Keys) -> tuple[str, str]:
    """Decrypt a request's (contact e-mail, message) for an officer handling it."""
    cipher = ContactCipher(keys.encryption)
    return (
        cipher.decrypt(EMAIL_KIND, request.contact_email_ciphertext),
        cipher.decrypt(MESSAGE_KIND, request.message_ciphertext),
    )
