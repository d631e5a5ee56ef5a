"""The public page where a defender asks to be monitored (no login)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dashboard.deps import RuntimeDep, SessionDep, client_ip
from dashboard.security import check_csrf
from dashboard.templating import render
from monitor.models import utcnow
from monitor.request.service import RequestInvalid, submit_monitoring_request

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
THROTTLE_KEY = "monitoring-request"


@router.get("/request")
def request_form(request: Request) -> Response:
    """The empty request form."""
    return render(request, "request.html", {"form": {}, "errors": {}})


@router.post("/request")
def submit_request(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    full_name: Annotated[str, Form(max_length=1000)] = "",
    contact_email: Annotated[str, Form(max_length=1000)] = "",
    handles: Annotated[str, Form(max_length=5000)] = "",
    message: Annotated[str, Form(max_length=20000)] = "",
    consent: Annotated[str | None, Form()] = None,
) -> Response:
    """Validate and store the request; on mistakes show the form again with each field marked."""
    ip, throttle = client_ip(request), request.app.state.request_throttle
    wait = throttle.retry_after(THROTTLE_KEY, ip)
    if wait > 0:
        message = f"Too many requests from this network. Try again in {int(wait) + 1} seconds."
        return render(request, "error.html", {"status": 429, "message": message}, status_code=429)
    form = {
        "full_name": full_name,
        "contact_email": contact_email,
        "handles": handles,
        "message": message,
    }
    try:
        submit_monitoring_request(
            session, data=form | {"consent": consent == "yes"}, keys=runtime.keys, now=utcnow()
        )
    except RequestInvalid as invalid:
        return render(
            request, "request.html", {"form": form, "errors": invalid.errors}, status_code=400
        )
    throttle.failure(THROTTLE_KEY, ip)  # every stored request counts towards the limit
    return RedirectResponse("/request/thanks", status_code=303)


@router.get("/request/thanks")
def request_thanks(request: Request) -> Response:
    """Confirmation that the request was received."""
    return render(request, "request_thanks.html")
