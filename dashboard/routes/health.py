"""`GET /healthz`: is the database reachable?"""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from dashboard.deps import RuntimeDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


def database_reachable(engine: Engine) -> bool:
    """Whether a `SELECT 1` succeeds (the error class is logged, never the URL)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        logger.warning("health check: database unreachable (%s)", type(exc).__name__)
        return False
    return True


@router.get("/healthz")
def healthz(runtime: RuntimeDep) -> JSONResponse:
    """200 `{"status": "ok"}` when the database answers, 503 otherwise."""
    if database_reachable(runtime.engine):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "error", "detail": "database unreachable"}, status_code=503)
