"""The pages people read: the queue (with its live partial), the card and its version poll."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from appeals_common.auth import Principal
from router.adapters.repository import get_assignment
from router.console import texts
from router.console.card import load_answers, render_card
from router.console.queue import queue_context
from router.console.web import console_principal, error_page, render, service, templates
from router.domain.access import Action, can_see, may
from router.entrypoints.views import appeal_read

router = APIRouter(prefix="/console", include_in_schema=False)
Caller = Annotated[Principal, Depends(console_principal)]


@router.get("/", name="console_queue")
async def queue_page(request: Request, principal: Caller) -> Response:
    """The caller's queue with filters, counts per status and paging."""
    if not may(principal, Action.READ):
        return error_page(request, 403, texts.t.forbidden, principal)
    context = await queue_context(request, principal)
    return render(request, "queue.html", context, principal=principal)


@router.get("/queue/list")
async def queue_list(request: Request, principal: Caller) -> Response:
    """The counts and the table alone: what the queue page refreshes every 15 s."""
    if not may(principal, Action.READ):
        return error_page(request, 403, texts.t.forbidden, principal)
    context = await queue_context(request, principal)
    return render(request, "_queue_list.html", context, principal=principal)


@router.get("/appeals/{appeal_id}", name="console_card")
async def card_page(appeal_id: uuid.UUID, request: Request, principal: Caller) -> Response:
    """The appeal card with the actions the caller's role allows."""
    return await render_card(request, principal, appeal_id)


@router.get("/appeals/{appeal_id}/answers")
async def answers_block(appeal_id: uuid.UUID, request: Request, principal: Caller) -> Response:
    """The card's answers and their deliveries alone: what the card refreshes while one is
    on its way to the platform."""
    if not may(principal, Action.READ):
        return HTMLResponse("", status_code=403)
    answers = await load_answers(request, principal, appeal_id)
    if answers is None:
        return HTMLResponse("", status_code=404)
    return render(request, "_answers.html", answers, principal=principal)


@router.get("/appeals/{appeal_id}/version")
async def version_banner(
    appeal_id: uuid.UUID, request: Request, principal: Caller, v: int = 0
) -> Response:
    """A banner when the appeal moved past version `v` or somebody else holds it; else empty."""
    svc = service(request)
    async with svc.deps.sessions() as session:
        row = await get_assignment(session, appeal_id)
    if row is None or not can_see(principal, row["agency_id"], svc.deps.directory):
        return HTMLResponse("", status_code=404)
    appeal = appeal_read(row, svc.deps.directory, svc.actions.clock())
    holder = appeal.holder if appeal.holder and appeal.holder.subject != principal.subject else None
    context = {"changed": appeal.version != v, "holder": holder, "appeal": appeal}
    return templates.TemplateResponse(request, "_version.html", {"t": texts.t, **context})
