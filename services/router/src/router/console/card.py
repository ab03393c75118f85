"""The appeal card: the appeal as the API reads it, its answers, notes, history and SLA."""

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from appeals_common.auth import Principal
from router.adapters import card_sql
from router.adapters.repository import get_assignment
from router.console import answer_templates, texts
from router.console.explain import explain
from router.console.sla import sla_of
from router.console.web import error_page, render, service
from router.domain.access import Action, can_see, may
from router.domain.deliveries import DELIVERED_TO
from router.domain.lifecycle import OPEN, Status
from router.entrypoints.schemas import AppealRead
from router.entrypoints.views import appeal_read

T = TypeVar("T")


async def load_card(
    request: Request, principal: Principal, appeal_id: uuid.UUID
) -> dict[str, Any] | None:
    """What the card template needs; None for an appeal the caller does not see."""
    svc = service(request)
    directory = svc.deps.directory
    found = await _visible(request, principal, appeal_id, card_sql.card_parts)
    if found is None:
        return None
    appeal, parts = found
    templates = answer_templates.load(svc.settings.console_templates_file)
    return {
        "appeal": appeal,
        "answers": parts["answers"],
        "answered_by_source": appeal.platform not in DELIVERED_TO,
        "notes": parts["notes"],
        "revisions": parts.get("revisions", []),
        "history": [{**h, "detail": _detail(h.get("detail"))} for h in parts["history"]],
        "sla": await sla_of(request, appeal_id),
        "may": offered(principal, appeal, directory.triage_agency_id),
        "agencies": directory.agencies,
        "agency_names": {a.id: a.name for a in directory.agencies},
        "why_here": explain(
            appeal.explanation.model_dump() if appeal.explanation else None,
            directory,
            moved=appeal.routing > 0,
        ),
        "answer_templates": templates.for_appeal(appeal.agency_id, appeal.topic),
        "idempotency_key": str(uuid.uuid4()),
    }


async def load_answers(
    request: Request, principal: Principal, appeal_id: uuid.UUID
) -> dict[str, Any] | None:
    """What the answers block needs, and no more: it is asked for every 3 s while a delivery
    is on its way, so it reads two tables and calls no SLA monitor."""
    found = await _visible(request, principal, appeal_id, card_sql.answers_of)
    if found is None:
        return None
    appeal, answers = found
    directory = service(request).deps.directory
    return {
        "appeal": appeal,
        "answers": answers,
        "answered_by_source": appeal.platform not in DELIVERED_TO,
        "may": offered(principal, appeal, directory.triage_agency_id),
    }


async def _visible(
    request: Request,
    principal: Principal,
    appeal_id: uuid.UUID,
    read: Callable[[AsyncSession, uuid.UUID], Awaitable[T]],
) -> tuple[AppealRead, T] | None:
    """The appeal and what `read` takes of it, in one session; None when the caller does not
    see it (the same answer as for an appeal that does not exist)."""
    svc = service(request)
    async with svc.deps.sessions() as session:
        row = await get_assignment(session, appeal_id)
        if row is None or not can_see(principal, row["agency_id"], svc.deps.directory):
            return None
        more = await read(session, appeal_id)
    return appeal_read(row, svc.deps.directory, svc.actions.clock()), more


def offered(principal: Principal, appeal: AppealRead, triage_agency_id: str) -> dict[str, bool]:
    """The actions the card offers: the role's, narrowed to what the appeal's state allows
    (a closed appeal takes only notes and delivery decisions). Only a hint: the handler
    decides either way."""
    allowed = {a.value: may(principal, a) for a in Action}
    if appeal.status not in OPEN:
        # Deliveries fail after the answer, so a closed appeal still takes decisions on them.
        keep = {Action.NOTE.value, Action.DELIVERY.value}
        return {name: ok and name in keep for name, ok in allowed.items()}
    allowed[Action.RELEASE.value] &= appeal.status is Status.CLAIMED or (
        appeal.status is Status.PAUSED and appeal.holder is not None
    )
    allowed["resume"] = allowed[Action.PAUSE.value] and appeal.status is Status.PAUSED
    allowed[Action.PAUSE.value] &= appeal.status is not Status.PAUSED
    allowed[Action.RETURN.value] &= appeal.agency_id != triage_agency_id
    return allowed


def _detail(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


async def render_card(
    request: Request,
    principal: Principal,
    appeal_id: uuid.UUID,
    *,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    """The card (the fragment for htmx), with a notice on top; the 403/404 pages otherwise."""
    if not may(principal, Action.READ):
        return error_page(request, 403, texts.t.forbidden, principal)
    card = await load_card(request, principal, appeal_id)
    if card is None:
        return error_page(request, 404, texts.t.not_found, principal)
    context = {**card, "notice": notice}
    return render(request, "card.html", context, principal=principal, status_code=status_code)
