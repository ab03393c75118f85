"""What every console page shares: templates, the caller from the session cookie, CSRF."""

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

from fastapi import HTTPException, Request, Response, status
from fastapi.templating import Jinja2Templates

from appeals_common.auth import Principal
from appeals_common.auth.http import bearer_token
from appeals_common.auth.tokens import InvalidToken
from router.bootstrap import Router
from router.console import texts
from router.domain.access import Action, may, region_wide

HERE = Path(__file__).parent
CSRF_COOKIE = "csrf"
CSRF_HEADER = "x-csrf-token"
LOGIN_URL = "/console/login"

MOSCOW = timezone(timedelta(hours=3), "МСК")  # the demo region's time; no DST since 2014

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    t=texts.t,
    STATUS=texts.STATUS,
    ACTION=texts.ACTION,
    SLA=texts.SLA,
    RECIPIENT=texts.RECIPIENT,
    step_name=texts.step_name,
    PLATFORM=texts.PLATFORM,
    DELIVERY=texts.DELIVERY,
    FAILURE=texts.FAILURE,
)


def local_time(value: datetime | None) -> str:
    """A timestamp as operators read it: day.month.year hours:minutes, Moscow time."""
    return value.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M") if value else "—"


templates.env.filters["dt"] = local_time


def service(request: Request) -> Router:
    return cast(Router, request.app.state.service)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


async def console_principal(request: Request) -> Principal:
    """The caller; without a valid session, off to the login (htmx: by HX-Redirect)."""
    token = bearer_token(request)
    if token is not None:
        try:
            return await service(request).verifier.verify(token)
        except InvalidToken:
            pass
    if is_htmx(request):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": LOGIN_URL})
    raise HTTPException(status.HTTP_303_SEE_OTHER, headers={"Location": LOGIN_URL})


def csrf_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


async def csrf_ok(request: Request) -> bool:
    """Double submit: the cookie's value back in the X-CSRF-Token header or the form."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER) or str((await request.form()).get("csrf", ""))
    return bool(cookie) and secrets.compare_digest(cookie.encode(), sent.encode())


def nav(principal: Principal | None) -> dict[str, bool]:
    """Which sections the caller's role opens (the same rules as the routes check)."""
    if principal is None:
        return {}
    return {
        "triage": may(principal, Action.REASSIGN),
        "overview": region_wide(principal),
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> Response:
    """A page (or, for htmx, its fragment) with the CSRF cookie set if it was missing."""
    token = csrf_token(request)
    layout = "bare.html" if is_htmx(request) else "layout.html"
    full = {
        "layout": layout,
        "csrf": token,
        "me": principal,
        "nav": nav(principal),
        **context,
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            path="/console",
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return response


def error_page(
    request: Request, status_code: int, message: str, principal: Principal | None = None
) -> Response:
    """A Russian error page with the right status."""
    return render(
        request, "error.html", {"message": message}, principal=principal, status_code=status_code
    )
