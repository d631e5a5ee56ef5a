"""Request dependencies: the unit-of-work session, who is asking, and role checks.

`SessionDep` is one unit of work per request: it commits when the route returns and rolls
back when it raises — before the response is sent, so a failed commit is never a 200.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from monitor.db import session_scope
from monitor.errors import KalkanError
from monitor.models import User, utcnow
from monitor.runtime import Runtime
from monitor.user.service import get_user, require_role, resolve_api_token

SESSION_USER_KEY = "uid"
SESSION_STAMP_KEY = "stamp"


class Unauthenticated(KalkanError):
    """No valid bearer token on an API request."""

    status_code = 401


class LoginRequired(Exception):
    """A page needs a logged-in person; the handler redirects to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def get_runtime(request: Request) -> Runtime:
    """The process runtime the app was built with."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """One database session per request: commit on success, roll back on error."""
    with session_scope(runtime.session_factory) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str:
    """The peer address (a reverse proxy must be configured to pass the real one)."""
    return request.client.host if request.client else "unknown"


def session_stamp(user: User, key: bytes) -> str:
    """A keyed fingerprint of password hash and session epoch.

    A password change or a logout (which bumps the epoch) ends every session, including a
    cookie someone copied.
    """
    material = f"{user.password_hash}\x00{user.session_epoch}".encode()
    return hmac.new(key, material, hashlib.sha256).hexdigest()[:32]


def get_current_user(request: Request, session: SessionDep, runtime: RuntimeDep) -> User:
    """The logged-in person of this browser session; pages redirect to /login without one."""
    user_id = request.session.get(SESSION_USER_KEY)
    user = get_user(session, user_id) if isinstance(user_id, int) else None
    stamp = request.session.get(SESSION_STAMP_KEY)
    valid = (
        user is not None
        and user.is_active
        and isinstance(stamp, str)
        and hmac.compare_digest(stamp, session_stamp(user, runtime.keys.session))
    )
    if not valid or user is None:
        request.session.pop(SESSION_USER_KEY, None)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token from `kalkan tokens create USER` (or the demo's printed token).",
)


def get_api_user(
    session: SessionDep,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> User:
    """The owner of the request's bearer token; 401 when it is missing, wrong or revoked."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("missing bearer token")
    user = resolve_api_token(
        session, token=credentials.credentials, keys=runtime.keys, now=utcnow()
    )
    if user is None:
        raise Unauthenticated("invalid or revoked token")
    return user


ApiUser = Annotated[User, Depends(get_api_user)]


def page_role(role: str) -> Callable[[User], User]:
    """A dependency for pages that need at least `role`."""

    def check(user: CurrentUser) -> User:
        return require_role(user, role)

    return check


def api_role(role: str) -> Callable[[User], User]:
    """A dependency for API routes that need at least `role`."""

    def check(user: ApiUser) -> User:
        return require_role(user, role)

    return check


OfficerUser = Annotated[User, Depends(page_role("officer"))]
ApiOfficer = Annotated[User, Depends(api_role("officer"))]
