"""The FastAPI app factory: runtime, middleware, routes, one error handler, scheduler lifespan.

`create_app()` with no arguments reads the settings from the environment (what
`kalkan serve` and `uvicorn --factory dashboard.app:create_app` use); tests pass their own
settings or runtime and `start_scheduler=False`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from dashboard.deps import LoginRequired
from dashboard.routes import api, auth, case_api, case_pages, health, pages, public
from dashboard.security import LoginThrottle, SecurityHeadersMiddleware
from dashboard.templating import render
from monitor.config import Settings, get_settings
from monitor.errors import KalkanError
from monitor.runtime import Runtime, build_runtime

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
SESSION_COOKIE = "kalkan_session"
SESSION_MAX_AGE = 12 * 3600


def _lifespan(runtime: Runtime, *, scheduler: bool, owns_runtime: bool) -> Any:
    """Start the scheduler (when asked) for the app's lifetime; stop it and the engine after."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        running = None
        if scheduler:
            # Imported here: it loads the classifier and source stacks, which web-only
            # processes and page tests do not need.
            from monitor.scheduler import start_scheduler

            running = start_scheduler(runtime)
        app.state.scheduler = running
        try:
            yield
        finally:
            if running is not None:
                running.shutdown()
            if owns_runtime:
                runtime.dispose()

    return lifespan


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    start_scheduler: bool | None = None,
) -> FastAPI:
    """Build the dashboard; the scheduler runs when settings enable it unless told not to."""
    settings = settings or (runtime.settings if runtime else get_settings())
    owns_runtime = runtime is None
    runtime = runtime or build_runtime(settings)
    scheduler = settings.scheduler_enabled if start_scheduler is None else start_scheduler
    app = FastAPI(
        title="Kalkan",
        summary="Early warning for online harassment of human-rights defenders",
        version="0.1.0",
        docs_url=None,  # Swagger UI needs inline scripts the CSP refuses; /openapi.json stays
        redoc_url=None,
        lifespan=_lifespan(runtime, scheduler=scheduler, owns_runtime=owns_runtime),
    )
    app.state.runtime = runtime
    app.state.scheduler = None
    app.state.login_throttle = LoginThrottle()
    # Public form: a few requests per address, then back-off, so it cannot flood the table.
    app.state.request_throttle = LoginThrottle(free=5, max_block=3600)
    app.add_middleware(
        SessionMiddleware,
        secret_key=runtime.keys.session.hex(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (health, api, case_api, auth, pages, case_pages, public):
        app.include_router(module.router)
    _add_error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _error(request: Request, status: int, message: str) -> Response:
    """JSON `{"detail": …}` for the API, the HTML error page for people."""
    if _wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return render(request, "error.html", {"status": status, "message": message}, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    """One place that turns errors into responses."""

    @app.exception_handler(KalkanError)
    async def kalkan_error(request: Request, exc: KalkanError) -> Response:
        if exc.status_code >= 500:
            logger.error("request failed: %s", type(exc).__name__)
        return _error(request, exc.status_code, exc.message)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse("/login?" + urlencode({"next": exc.next_path}), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return _error(request, 422, "the request was not understood; check the address")
