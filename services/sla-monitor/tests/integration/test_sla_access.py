"""Who reads which SLA clocks, against the real service: agency staff their own agencies'
(another agency's clock does not exist for them), the region-wide roles all, admins none;
an appeal an operator closed (merged, not an appeal) no longer counts and never breaches."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sla_support import running_monitor

from appeals_common.events import AppealClosed, AppealRouted, Platform, new_envelope
from sla_monitor.handlers import handle_appeal_closed, handle_appeal_routed
from sla_monitor.main import app

pytestmark = pytest.mark.integration

READERS = {
    "zhkh staff": ({"roles": ("agency_staff",), "agencies": ("ivanovo-zhkh",)}, 200),
    "roads staff": ({"roles": ("agency_staff",), "agencies": ("ivanovo-roads",)}, 404),
    "cur": ({"roles": ("cur_operator",)}, 200),
    "governor": ({"roles": ("governor_office",)}, 200),
    "admin": ({"roles": ("admin",)}, 403),
}


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with running_monitor(SLA_SCAN_INTERVAL_SECONDS="0.3"):
        yield


def _client(headers: dict[str, str]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://sla", headers=headers)


async def _clock(agency_id: str, written_ago: timedelta = timedelta(minutes=1)) -> uuid.UUID:
    now, appeal_id = datetime.now(UTC), uuid.uuid4()
    routed = AppealRouted(
        appeal_id=appeal_id,
        agency_id=agency_id,
        agency_name=agency_id,
        topic="housing.heating",
        urgent=False,
        platform=Platform.VK,
        page_id="vk-adm-ivanovo",
        routed_at=now,
        written_at=now - written_ago,
    )
    event = new_envelope(routed, source="test", correlation_id=str(appeal_id))
    await handle_appeal_routed(event, app.state.service.deps)
    return appeal_id


@pytest.mark.parametrize("who", list(READERS))
async def test_each_role_reads_the_clocks_it_may(running, identity, who: str) -> None:  # type: ignore[no-untyped-def]
    claims, expected = READERS[who]
    appeal_id = await _clock("ivanovo-zhkh")
    async with _client(identity.headers(**claims)) as client:
        clock = await client.get(f"/v1/sla/appeals/{appeal_id}")
        backlog = await client.get("/v1/sla/backlog")
    assert clock.status_code == expected, clock.text
    if who == "admin":
        assert backlog.status_code == 403
        return
    assert backlog.status_code == 200
    agencies = {b["agency_id"] for b in backlog.json()}
    if who.endswith("staff"):
        assert agencies <= set(claims["agencies"])  # never another agency's figures
    else:
        assert "ivanovo-zhkh" in agencies


async def test_no_token_is_401(running) -> None:  # type: ignore[no-untyped-def]
    async with _client({}) as client:
        for path in (f"/v1/sla/appeals/{uuid.uuid4()}", "/v1/sla/backlog"):
            response = await client.get(path)
            assert response.status_code == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_closed_appeal_stops_counting_and_never_breaches(running, identity) -> None:  # type: ignore[no-untyped-def]
    appeal_id = await _clock("ivanovo-zhkh", written_ago=timedelta(minutes=9, seconds=58))
    closed = AppealClosed(
        appeal_id=appeal_id,
        agency_id="ivanovo-zhkh",
        reason="merged",
        merged_into=uuid.uuid4(),
        closed_at=datetime.now(UTC),
    )
    event = new_envelope(closed, source="test", correlation_id=str(appeal_id))
    await handle_appeal_closed(event, app.state.service.deps)
    await handle_appeal_closed(event, app.state.service.deps)  # a redelivery changes nothing
    async with _client(identity.headers("cur-operator")) as client:
        # Past its deadline now; the scanner runs every 0.3 s and must leave it alone.
        for _ in range(10):
            clock = (await client.get(f"/v1/sla/appeals/{appeal_id}")).json()
            assert clock["state"] == "closed"
            assert clock["breached_at"] is None
            await asyncio.sleep(0.3)
