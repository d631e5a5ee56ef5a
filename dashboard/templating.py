"""The Jinja2 environment: autoescaping on, with the presenters as filters and globals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from dashboard import presenters
from dashboard.security import CSRF_FIELD, csrf_token

TEMPLATES_DIR = Path(__file__).with_name("templates")

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters.update(
    when=presenters.when,
    label_name=presenters.label_name,
    percent=presenters.percent,
    safe_href=presenters.safe_href,
)
templates.env.globals.update(
    highlight=presenters.highlight,
    top_scores=presenters.top_scores,
    severities=presenters.SEVERITY_ORDER,
    csrf_field=CSRF_FIELD,
)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render a page with the session's CSRF token and the current user (if any) in scope."""
    values = {"csrf_token": csrf_token(request), "user": None} | (context or {})
    return templates.TemplateResponse(request, name, values, status_code=status_code)
