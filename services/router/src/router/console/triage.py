"""The ЦУР triage queue with suggested agencies, and the read-only region overview."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from appeals_common.auth import Principal
from router.adapters import queue_sql
from router.console import texts
from router.console.web import console_principal, error_page, render, service
from router.domain.access import Action, may, region_wide
from router.domain.directory import Body, Directory
from router.domain.gazetteer import oktmo_prefix
from router.domain.queues import QueueFilter
from router.entrypoints.schemas import AppealRead, CandidateRead
from router.entrypoints.views import appeal_read

router = APIRouter(prefix="/console", include_in_schema=False)
Caller = Annotated[Principal, Depends(console_principal)]
TRIAGE_PAGE = 100
# Below this the classifier's guess is noise: not worth a button ahead of the agencies.
MIN_PICK_PROBABILITY = 0.05
OVERVIEW_STATUSES = ("open", "claimed", "answered", "withdrawn")


def suggestions(directory: Directory, appeal: AppealRead, topic: str | None = None) -> list[Body]:
    """Bodies that answer for the topic (the appeal's, or `topic`): those on the territory of
    the body whose page it was written on first, the narrowest first, then the region's; the
    bodies that are reached when named (institutions, overseen organisations) after them. With
    no competent body (the classifier could not tell the topic) the bodies of that territory."""
    topic = topic or appeal.topic
    owner = directory.page_owner(appeal.page_id) or directory.get(appeal.body_id or "")
    place = owner.territory[0] if owner and owner.territory else directory.region.oktmo
    bodies = [b for b in directory.agencies if b.id != directory.triage_agency_id]
    competent = [b for b in bodies if b.answers_for(topic)] or [
        b for b in bodies if b.covers(place) and not (b.is_institution or b.is_organisation)
    ]

    def rank(body: Body) -> tuple[bool, bool, int]:
        depth = max((len(oktmo_prefix(own)) for own in body.territory), default=0)
        return (not body.covers(place), body.is_institution or body.is_organisation, -depth)

    return sorted(competent, key=rank)


@router.get("/triage", name="console_triage")
async def triage(request: Request, principal: Caller) -> Response:
    """The triage agency's open appeals, each with the agencies it could go to."""
    if not may(principal, Action.REASSIGN):
        return error_page(request, 403, texts.t.forbidden, principal)
    svc = service(request)
    directory = svc.deps.directory
    queue = QueueFilter(frozenset({directory.triage_agency_id}), "open")
    now = svc.actions.clock()
    async with svc.deps.sessions() as session:
        rows, _ = await queue_sql.list_page(
            session, queue, me=principal.subject, now=now, after=None, limit=TRIAGE_PAGE
        )
    appeals = [appeal_read(r, directory, now) for r in rows]
    items = [_item(directory, a) for a in appeals]
    return render(request, "triage.html", {"items": items}, principal=principal)


def _item(directory: Directory, appeal: AppealRead) -> dict[str, Any]:
    """The classifier's likeliest topics first, each with the agency that would take it (one
    click: the topic and the agency, which the classifier learns from), then the bodies routing
    weighed, then other agencies."""
    picks: list[tuple[CandidateRead, Body]] = []
    for candidate in appeal.candidates:
        competent = suggestions(directory, appeal, candidate.topic)
        likely = candidate.probability >= MIN_PICK_PROBABILITY
        if competent and likely and candidate.topic != appeal.topic:
            picks.append((candidate, competent[0]))
    taken = {agency.id for _, agency in picks}
    # The bodies routing weighed and could not choose between ("школа № 2" in three towns, two
    # equally competent departments) come before the rest: one of them is most likely right.
    weighed = appeal.explanation.considered if appeal.explanation else []
    considered = [b for b in (directory.get(c.body_id) for c in weighed) if b is not None]
    ranked = {b.id: b for b in (*considered, *suggestions(directory, appeal))}  # first kept
    others = [a for a in ranked.values() if a.id not in taken]
    return {
        "appeal": appeal,
        "picks": [{"candidate": c, "agency": agency} for c, agency in picks],
        "suggestions": others[: max(9 - len(picks), 0)],
    }


async def _counts(request: Request, principal: Principal) -> list[dict[str, Any]]:
    svc = service(request)
    now = svc.actions.clock()
    result = []
    async with svc.deps.sessions() as session:
        for agency in svc.deps.directory.agencies:
            queue = QueueFilter(frozenset({agency.id}), "all")
            counts = await queue_sql.counts(session, queue, me=principal.subject, now=now)
            result.append({"agency": agency, **{s: counts[s] for s in OVERVIEW_STATUSES}})
    return result


@router.get("/overview", name="console_overview")
async def overview(request: Request, principal: Caller) -> Response:
    """Per agency: open, in work, answered and withdrawn appeals (read-only)."""
    if not region_wide(principal):
        return error_page(request, 403, texts.t.forbidden, principal)
    rows = await _counts(request, principal)
    totals = {s: sum(r[s] for r in rows) for s in OVERVIEW_STATUSES}
    context = {"rows": rows, "totals": totals, "statuses": OVERVIEW_STATUSES}
    return render(request, "overview.html", context, principal=principal)
