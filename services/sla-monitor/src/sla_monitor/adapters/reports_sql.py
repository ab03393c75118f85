"""The SLA report's figures, one aggregate over a period's clocks (read by the index on when
the appeals were written), grouped by body, topic or a mapping of bodies to municipalities."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from sla_monitor.domain.reports import Grouping, Period

_OPEN = "answered_at IS NULL AND withdrawn_at IS NULL AND closed_at IS NULL"
_SECONDS = "extract(epoch FROM answered_at - written_at)"
_REPORT = f"""
WITH grouping(agency_id, grp) AS (
    SELECT * FROM unnest(CAST(:agencies AS text[]), CAST(:groups AS text[]))
)
SELECT {{key}} AS key,
    count(*) AS received,
    count(*) FILTER (WHERE answered_at <= deadline) AS answered_in_time,
    count(*) FILTER (WHERE answered_at > deadline OR ({_OPEN} AND deadline < :now)) AS late,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY {_SECONDS}) FILTER (WHERE answered_at IS NOT NULL)
        AS median_first_answer_seconds,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY {_SECONDS}) FILTER (WHERE answered_at IS NOT NULL)
        AS p90_first_answer_seconds,
    count(*) FILTER (WHERE {_OPEN}) AS open_now,
    count(*) FILTER (WHERE {_OPEN} AND deadline < :now) AS overdue_now
FROM sla.clocks AS c LEFT JOIN grouping AS g USING (agency_id)
WHERE written_at >= :start AND written_at < :end AND deadline IS NOT NULL
    AND (CAST(:visible AS text[]) IS NULL OR agency_id = ANY(CAST(:visible AS text[])))
GROUP BY 1 ORDER BY 1
"""
_KEYS = {
    Grouping.BODY: "c.agency_id",
    Grouping.TOPIC: "coalesce(c.topic, 'unknown')",
    Grouping.MUNICIPALITY: "coalesce(g.grp, 'unknown')",
}


async def report(
    session: AsyncSession,
    period: Period,
    grouping: Grouping,
    *,
    now: datetime,
    municipality_of: Mapping[str, str],
    visible: frozenset[str] | None,
) -> list[dict[str, Any]]:
    query = text(_REPORT.replace("{key}", _KEYS[grouping]))
    rows = await session.execute(query, {
        "agencies": list(municipality_of), "groups": list(municipality_of.values()),
        "start": period.start, "end": period.end, "now": now,
        "visible": sorted(visible) if visible is not None else None,
    })  # fmt: skip
    return [dict(r._mapping) for r in rows]
