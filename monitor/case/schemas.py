"""What `/api/v1/cases` accepts and returns, and what the case page reads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from monitor.alert.schemas import AlertRead

MAX_TITLE = 300
#: Alerts one request may put into a case (a case may grow past it over several requests).
MAX_ALERTS_PER_REQUEST = 500


class CaseCreate(BaseModel):
    """Open a case from alerts (contract in DESIGN.md)."""

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    alert_ids: list[int] = Field(min_length=1, max_length=MAX_ALERTS_PER_REQUEST)
    move: bool = Field(
        default=False,
        description="Move alerts that are already in another case (audited); "
        "without it such alerts make the request fail with 409",
    )


class CaseAlertsAdd(BaseModel):
    """Add alerts to an existing case."""

    alert_ids: list[int] = Field(min_length=1, max_length=MAX_ALERTS_PER_REQUEST)
    move: bool = Field(default=False, description="Move alerts from another case (audited)")


class CaseRead(BaseModel):
    """A case file: who opened it, when, and which alerts it holds (ids ascending)."""

    id: int
    title: str
    status: str
    defender: str | None = Field(description="The defender's slug when all alerts share one")
    alert_ids: list[int]
    created_by: str | None = Field(description="Username of the officer who opened it")
    created_at: datetime


class CaseDetail(CaseRead):
    """A case with its alerts, for `GET /api/v1/cases/{id}` and the case page."""

    defender_name: str | None
    alerts: list[AlertRead]
