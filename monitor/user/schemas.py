"""Roles and the read model of a user shown to other layers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from monitor.models import ROLES

#: Rank of each role; a higher rank may do everything a lower one may.
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


class UserRead(BaseModel):
    """A user as the dashboard and API show them (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    is_active: bool
