"""The card's forms: each posts here, becomes a command and goes through `actions.act`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from appeals_common.auth import Principal
from router.actions import (
    ActionForbidden,
    ActionRefused,
    AppealNotFound,
    InvalidTarget,
    StaleVersion,
    VersionRequired,
    act,
)
from router.console import texts
from router.console.card import render_card
from router.console.commands import BUILDERS, version_of
from router.console.web import console_principal, csrf_ok, error_page, is_htmx, service

router = APIRouter(prefix="/console", include_in_schema=False)
Caller = Annotated[Principal, Depends(console_principal)]
RETURN_TO = {"triage": "/console/triage"}


@router.post("/appeals/{appeal_id}/{action}")
async def run_action(
    appeal_id: uuid.UUID, action: str, request: Request, principal: Caller
) -> Response:
    """Carry out one of the card's actions and show the card as it is now."""
    if not await csrf_ok(request):
        return error_page(request, 403, texts.t.csrf, principal)
    build = BUILDERS.get(action)
    if build is None:
        return error_page(request, 404, texts.t.not_found, principal)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    deps = service(request).actions
    try:
        command = build(principal, form, deps)
        await act(appeal_id, command, version_of(form), deps)
    except ValidationError as error:
        fields = ", ".join(sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]}))
        notice = texts.t.invalid_form.format(fields=fields or "—")
        return await render_card(request, principal, appeal_id, notice=notice, status_code=422)
    except AppealNotFound:
        return error_page(request, 404, texts.t.not_found, principal)
    except ActionForbidden:
        return error_page(request, 403, texts.t.forbidden, principal)
    except (StaleVersion, VersionRequired):
        return await render_card(
            request, principal, appeal_id, notice=texts.t.stale, status_code=409
        )
    except ActionRefused as error:
        notice = texts.refusal(str(error))
        return await render_card(request, principal, appeal_id, notice=notice, status_code=409)
    except InvalidTarget:
        notice = texts.t.invalid_target
        return await render_card(request, principal, appeal_id, notice=notice, status_code=422)
    if is_htmx(request):
        card = await render_card(request, principal, appeal_id, notice=texts.t.done)
        # Returned or moved out of the caller's sight: back to their queue.
        return Response(headers={"HX-Redirect": "/console/"}) if card.status_code == 404 else card
    target = RETURN_TO.get(form.get("next", ""), f"/console/appeals/{appeal_id}")
    return RedirectResponse(target, status_code=303)
