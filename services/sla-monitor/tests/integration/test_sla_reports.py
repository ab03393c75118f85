"""The SLA report on the real service and database: a day's appeals of one body, answered in
time, late, unanswered past the deadline and withdrawn, counted and timed as the governor's
office reads them, by body and by topic, as JSON and CSV; staff see their own bodies only."""

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sla_support import close_clock

from appeals_common.events import (
    AppealAnswered,
    AppealRouted,
    AppealWithdrawn,
    Platform,
    ResponseChannel,
    new_envelope,
)
from sla_monitor.handlers import (
    handle_appeal_answered,
    handle_appeal_routed,
    handle_appeal_withdrawn,
)
from sla_monitor.main import app

pytestmark = pytest.mark.integration
POLICIES = Path(__file__).resolve().parents[1] / "fixtures" / "sla-policies-it.yaml"
MSK = ZoneInfo("Europe/Moscow")
DAY = datetime(2001, 3, 5, 10, 0, tzinfo=MSK)  # long ago: no other test's appeals that day
AGENCY = f"report-{uuid.uuid4().hex[:8]}"
TOPIC = f"roads.report{uuid.uuid4().hex[:6]}"


OPENED: list[uuid.UUID] = []


async def _appeal(answered_after: timedelta | None, *, withdrawn: bool = False) -> None:
    deps = app.state.service.deps
    routed = AppealRouted(
        appeal_id=uuid.uuid4(), agency_id=AGENCY, agency_name="Отчётное", topic=TOPIC,
        urgent=False, platform=Platform.VK, page_id="p", routed_at=DAY, written_at=DAY,
    )  # fmt: skip
    await handle_appeal_routed(new_envelope(routed, source="t", correlation_id="c"), deps)
    OPENED.append(routed.appeal_id)
    if answered_after is not None:
        answered = AppealAnswered(
            appeal_id=routed.appeal_id, response_id=uuid.uuid4(), agency_id=AGENCY,
            channel=ResponseChannel.QUEUE, answered_at=DAY + answered_after,
        )  # fmt: skip
        await handle_appeal_answered(new_envelope(answered, source="t", correlation_id="c"), deps)
    if withdrawn:
        gone = AppealWithdrawn(
            appeal_id=routed.appeal_id, platform=Platform.VK, page_id="p", external_id="x",
            withdrawn_at=DAY + timedelta(minutes=1),
        )  # fmt: skip
        await handle_appeal_withdrawn(new_envelope(gone, source="t", correlation_id="c"), deps)


@pytest.fixture(scope="module")
async def reader(infra, identity) -> AsyncIterator[dict[str, httpx.AsyncClient]]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")
        env.setenv("SLA_POLICIES_FILE", str(POLICIES))  # 600 s to the first answer
        env.setenv("SLA_POLICIES_SOURCE", "file")
        env.setenv("SLA_SCAN_INTERVAL_SECONDS", "3600")
        async with app.router.lifespan_context(app):
            await _appeal(timedelta(minutes=5))  # in time
            await _appeal(timedelta(minutes=20))  # late
            await _appeal(None)  # never answered: late, open and overdue now
            await _appeal(None, withdrawn=True)  # deleted by its author: nothing is due
            made = {
                who: httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                       base_url="http://sla", headers=headers)
                for who, headers in (
                    ("governor", identity.headers(roles=("governor_office",))),
                    ("staff", identity.headers(roles=("agency_staff",), agencies=(AGENCY,))),
                    ("other staff", identity.headers(roles=("agency_staff",),
                                                     agencies=("ivanovo-roads",))),
                    ("admin", identity.headers(roles=("admin",))),
                )
            }  # fmt: skip
            yield made
            for client in made.values():
                await client.aclose()
            for appeal_id in OPENED:  # none of the made-up body's appeals stays open
                await close_clock(appeal_id, AGENCY)


async def test_a_days_report_by_body_counts_and_times_the_first_answers(reader) -> None:  # type: ignore[no-untyped-def]
    response = await reader["governor"].get(
        "/v1/sla/reports", params={"by": "body", "period": "day", "date": "2001-03-05"}
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["start"].startswith("2001-03-05T00:00:00+03:00")
    [row] = [r for r in report["rows"] if r["key"] == AGENCY]
    assert (row["received"], row["answered_in_time"], row["late"]) == (4, 1, 2)
    assert (row["open_now"], row["overdue_now"]) == (1, 1)
    assert row["median_first_answer_seconds"] == pytest.approx(750)  # of 5 and 20 minutes
    assert row["p90_first_answer_seconds"] == pytest.approx(1110)
    assert row["compliance"] == pytest.approx(1 / 3)


async def test_the_week_by_topic_as_csv_for_a_spreadsheet(reader) -> None:  # type: ignore[no-untyped-def]
    response = await reader["governor"].get(
        "/v1/sla/reports",
        params={"by": "topic", "period": "week", "date": "2001-03-08", "format": "csv"},
    )

    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="sla-topic-week-2001-03-05.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Группа", "Код", "Поступило"]
    mine = next(r for r in rows[1:] if r[1] == TOPIC)
    assert mine[2:5] == ["4", "1", "2"] and mine[5] == "12"  # median 12.5 min, rounded


async def test_staff_read_their_own_bodies_only_and_admins_nothing(reader) -> None:  # type: ignore[no-untyped-def]
    params = {"by": "body", "date": "2001-03-05"}
    own = (await reader["staff"].get("/v1/sla/reports", params=params)).json()
    other = (await reader["other staff"].get("/v1/sla/reports", params=params)).json()
    admin = await reader["admin"].get("/v1/sla/reports", params=params)

    assert [r["key"] for r in own["rows"]] == [AGENCY]
    assert AGENCY not in {r["key"] for r in other["rows"]}
    assert admin.status_code == 403


@pytest.mark.parametrize(
    "params",
    [{"period": "year"}, {"by": "street"}, {"date": "2001-02-30"}, {"date": "1900-01-01"},
     {"format": "xlsx"}, {"date": "99999-01-01"}],
)  # fmt: skip
async def test_a_bad_report_request_is_422(reader, params: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    response = await reader["governor"].get("/v1/sla/reports", params=params)

    assert response.status_code == 422, response.text
