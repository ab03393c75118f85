"""The SLA report per body, municipality or topic for a day, week or month, as JSON or CSV.

Who may call: ЦУР operators and the governor's office (every body), agency staff (their own
bodies only); administrators read no appeals' figures (403). The CSV is for a spreadsheet:
UTF-8 with a byte-order mark, ";"-separated, Russian headers.
"""

import csv
import io
from datetime import UTC, date, datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, Field

from appeals_common.auth.http import PrincipalDep
from sla_monitor.adapters import reports_sql
from sla_monitor.domain.access import reads_sla, visible_agencies
from sla_monitor.domain.bodies import DEFAULT_ZONE
from sla_monitor.domain.reports import Grouping, Period, PeriodKind, ReportRow
from sla_monitor.handlers import SlaDeps

router = APIRouter(tags=["reports"])
HEADERS = ("Группа", "Код", "Поступило", "Отвечено в срок", "С нарушением срока",
           "Медиана первого ответа, мин", "90-й перцентиль первого ответа, мин",
           "Открыто сейчас", "Просрочено сейчас", "Доля в срок, %")  # fmt: skip


class ReportRowRead(BaseModel):
    key: str = Field(description="the body's id, the municipality's body id, or the topic")
    name: str
    received: int
    answered_in_time: int
    late: int = Field(description="answered after the deadline, or unanswered past it")
    median_first_answer_seconds: float | None
    p90_first_answer_seconds: float | None
    open_now: int
    overdue_now: int
    compliance: float | None = Field(description="answered in time / (in time + late)")


class ReportRead(BaseModel):
    by: Grouping
    period: PeriodKind
    start: datetime
    end: datetime
    rows: list[ReportRowRead]


@router.get("/v1/sla/reports", response_model=ReportRead)
async def get_report(
    request: Request,
    principal: PrincipalDep,
    by: Grouping = Grouping.BODY,
    period: PeriodKind = PeriodKind.DAY,
    day: Annotated[date | None, Query(alias="date", description="any day of the period")] = None,
    format: Literal["json", "csv"] = "json",
) -> ReportRead | Response:
    """Appeals received in the period, answered in time and late, the median and 90th
    percentile time to the first answer, and how many of them are open and overdue now."""
    if not reads_sla(principal):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "your role does not read SLA figures")
    deps: SlaDeps = request.app.state.service.deps
    bodies = deps.setup.bodies
    zone = ZoneInfo(DEFAULT_ZONE)
    now = datetime.now(UTC)
    if day is not None and not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "date: from 2000 to 2100")
    span = Period.of(period, day or now.astimezone(zone).date(), zone)
    async with deps.sessions() as session:
        raw = await reports_sql.report(
            session, span, by, now=now, municipality_of=bodies.municipalities(),
            visible=visible_agencies(principal),
        )  # fmt: skip
    rows = [ReportRow(**r, name=_name(by, r["key"], deps)) for r in raw]
    if format == "csv":
        return _csv(rows, by, span)
    return ReportRead(
        by=by, period=period, start=span.start, end=span.end,
        rows=[ReportRowRead(**vars(r), compliance=r.compliance) for r in rows],
    )  # fmt: skip


def _name(by: Grouping, key: str, deps: SlaDeps) -> str:
    if by is Grouping.TOPIC:
        return key
    if key == "region":
        return "Региональные и федеральные органы"
    return deps.setup.bodies.name(key)


def _csv(rows: list[ReportRow], by: Grouping, span: Period) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for r in rows:
        share = f"{r.compliance * 100:.1f}" if r.compliance is not None else ""
        writer.writerow([r.name, r.key, r.received, r.answered_in_time, r.late,
                         _minutes(r.median_first_answer_seconds),
                         _minutes(r.p90_first_answer_seconds), r.open_now, r.overdue_now,
                         share])  # fmt: skip
    name = f"sla-{by.value}-{span.kind.value}-{span.start.date().isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _minutes(seconds: float | None) -> str:
    return f"{seconds / 60:.0f}" if seconds is not None else ""
