"""The card's decisions on an answer's failed delivery: each goes through
`delivery_actions.decide`, as the JSON API's do."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from appeals_common.auth import Principal
from router.actions import ActionForbidden, ActionRefused, AppealNotFound, InvalidTarget
from router.console import texts
from router.console.card import render_card
from router.console.web import console_principal, csrf_ok, error_page, is_htmx, service
from router.delivery_actions import DeliveryDecision, decide
from router.entrypoints.schemas import DeliveryMark

router = APIRouter(prefix="/console", include_in_schema=False)
Caller = Annotated[Principal, Depends(console_principal)]
DECISIONS = {"retry": DeliveryDecision.RETRY, "mark-delivered": DeliveryDecision.MARK_DELIVERED}
DONE = {
    DeliveryDecision.RETRY: texts.t.delivery_retried,
    DeliveryDecision.MARK_DELIVERED: texts.t.delivery_marked,
}


@router.post("/appeals/{appeal_id}/deliveries/{delivery_id}/{decision}")
async def decide_delivery(
    appeal_id: uuid.UUID, delivery_id: uuid.UUID, decision: str, request: Request, principal: Caller
) -> Response:
    """Send a failed answer again, or record that the resident got it another way."""
    if not await csrf_ok(request):
        return error_page(request, 403, texts.t.csrf, principal)
    chosen = DECISIONS.get(decision)
    if chosen is None:
        return error_page(request, 404, texts.t.not_found, principal)
    form = await request.form()
    try:
        raw = str(form.get("comment", "")).strip() or None
        comment = DeliveryMark(comment=raw).comment
        await decide(appeal_id, delivery_id, chosen, principal, service(request).actions, comment)
    except ValidationError:
        notice = texts.t.invalid_form.format(fields="comment")
        return await render_card(request, principal, appeal_id, notice=notice, status_code=422)
    except AppealNotFound:
        return error_page(request, 404, texts.t.not_found, principal)
    except ActionForbidden:
        return error_page(request, 403, texts.t.forbidden, principal)
    except InvalidTarget:
        notice = texts.t.delivery_not_found
        return await render_card(request, principal, appeal_id, notice=notice, status_code=404)
    except ActionRefused as error:
        # Already Russian: domain.deliveries words its refusals for operators.
        notice = texts.t.delivery_refused.format(reason=error)
        return await render_card(request, principal, appeal_id, notice=notice, status_code=409)
    if is_htmx(request):
        return await render_card(request, principal, appeal_id, notice=DONE[chosen])
    return RedirectResponse(f"/console/appeals/{appeal_id}", status_code=303)
