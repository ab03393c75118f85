"""The caller's queue: filters from the query string, a page of rows and the counts per status."""

import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urlencode

from fastapi import Request

from appeals_common.auth import Principal
from router.adapters import queue_sql
from router.console.web import service
from router.domain.access import visible_agencies
from router.domain.directory import Directory
from router.domain.queues import STATUSES, ClaimFilter, Cursor, DueFilter, QueueFilter
from router.entrypoints.views import appeal_read

PAGE_SIZE = 50
FILTERS = ("status", "claimed", "due", "urgent", "platform", "topic", "agency")
MAX_CURSOR = 512
DUE_FILTERS = ("any", "overdue", "due_soon", "on_time", "no_deadline")
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def _id(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name, "").strip()
    return value if _ID.fullmatch(value) else None


def queue_filter(
    params: Mapping[str, str], principal: Principal, directory: Directory
) -> QueueFilter:
    """The API's filter from the form's fields; anything unknown falls back to its default."""
    status = params.get("status", "open")
    claimed, due = params.get("claimed", "any"), params.get("due", "any")
    agencies = visible_agencies(principal, directory)
    agency_id = _id(params, "agency")
    if agency_id is not None:  # the same narrowing as GET /v1/appeals?agency_id=
        agencies = frozenset({agency_id}) & (agencies if agencies is not None else {agency_id})
    return QueueFilter(
        agencies,
        status if status in STATUSES else "open",
        _id(params, "topic"),
        True if params.get("urgent") == "1" else None,
        _id(params, "platform"),
        cast(ClaimFilter, claimed if claimed in ("any", "me", "unclaimed") else "any"),
        cast(DueFilter, due if due in DUE_FILTERS else "any"),
    )


def _cursor(params: Mapping[str, str]) -> Cursor | None:
    raw = params.get("cursor", "")
    if not raw or len(raw) > MAX_CURSOR:  # the API's limit too: a longer one is not ours
        return None
    try:
        return Cursor.decode(raw)
    except ValueError:
        return None


def link(params: Mapping[str, str], **changes: str | None) -> str:
    """The queue's query string with some fields changed (None drops one)."""
    merged = {k: params[k] for k in (*FILTERS, "cursor") if params.get(k)}
    merged.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        merged.pop(key, None)
    return urlencode(merged)


async def queue_context(request: Request, principal: Principal) -> dict[str, Any]:
    """Rows, counts and links for the queue page and its live partial."""
    svc = service(request)
    params = dict(request.query_params)
    queue = queue_filter(params, principal, svc.deps.directory)
    now = svc.actions.clock()
    async with svc.deps.sessions() as session:
        rows, next_cursor = await queue_sql.list_page(
            session, queue, me=principal.subject, now=now, after=_cursor(params), limit=PAGE_SIZE
        )
        counts = await queue_sql.counts(session, queue, me=principal.subject, now=now)
    visible = visible_agencies(principal, svc.deps.directory)
    return {
        "rows": [appeal_read(r, svc.deps.directory, now) for r in rows],
        "counts": counts,
        "queue": queue,
        "params": params,
        "statuses": STATUSES,
        "tabs": {s: link(params, status=s, cursor=None) for s in STATUSES},
        "next_link": link(params, cursor=next_cursor.encode()) if next_cursor else None,
        "first_link": link(params, cursor=None) if params.get("cursor") else None,
        "refresh": link(params),
        "agency_choices": [
            a for a in svc.deps.directory.agencies if visible is None or a.id in visible
        ],
    }
