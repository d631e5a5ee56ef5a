"""The public monitoring-request form, validated."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"'.]{2,}$")


class MonitoringRequestCreate(BaseModel):
    """What a defender submits; consent must be given explicitly."""

    model_config = ConfigDict(str_strip_whitespace=True)

    full_name: str = Field(min_length=2, max_length=200)
    contact_email: str = Field(max_length=320)
    handles: str = Field(default="", max_length=1000)
    message: str = Field(default="", max_length=5000)
    consent: bool

    @field_validator("contact_email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("enter an e-mail address we can reach you at")
        return value

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if not value:
            raise ValueError("we can only monitor with your explicit consent")
        return value
