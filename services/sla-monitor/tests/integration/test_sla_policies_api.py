"""The SLA policies' API on the real service and database: every version readable by the
roles that may; a new version only by an administrator, against the version seen, checked
whole (a broken document is refused with its line and nothing stored); new clocks get it."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from appeals_common.events import AppealRouted, Platform, new_envelope
from sla_monitor.adapters import repository
from sla_monitor.handlers import handle_appeal_routed
from sla_monitor.main import app

pytestmark = pytest.mark.integration
POLICIES = Path(__file__).resolve().parents[1] / "fixtures" / "sla-policies-it.yaml"
ROLES = {
    "admin": {"roles": ("admin",)},
    "cur": {"roles": ("cur_operator",)},
    "governor": {"roles": ("governor_office",)},
    "staff": {"roles": ("agency_staff",), "agencies": ("ivanovo-zhkh",)},
}
NEW = """policies:
  - id: everything-in-2h
    name: Всё за два часа
    first_response: 2h
    resolution: 48h
"""


@pytest.fixture(scope="module")
async def clients(infra, identity) -> AsyncIterator[dict[str, httpx.AsyncClient]]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")
        env.setenv("SLA_POLICIES_FILE", str(POLICIES))
        env.setenv("SLA_POLICIES_SOURCE", "database")
        async with app.router.lifespan_context(app):
            made = {}
            for who, claims in ROLES.items():
                made[who] = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://sla",
                    headers=identity.headers(**claims),  # type: ignore[arg-type]
                )  # fmt: skip
            yield made
            for client in made.values():
                await client.aclose()


async def _newest(client: httpx.AsyncClient) -> int:
    versions = (await client.get("/v1/sla/policies/versions")).json()
    return int(versions[0]["version"])


@pytest.mark.parametrize("role", list(ROLES))
async def test_who_reads_and_who_stores_the_policies(
    clients: dict[str, httpx.AsyncClient], role: str
) -> None:
    client = clients[role]
    newest = await _newest(clients["admin"])

    listed = await client.get("/v1/sla/policies/versions")
    one = await client.get(f"/v1/sla/policies/versions/{newest}")
    stored = await client.post(
        "/v1/sla/policies", json={"document": NEW, "comment": role},
        headers={"If-Match": f'"{newest}"'},
    )  # fmt: skip

    reads = 403 if role == "staff" else 200
    assert (listed.status_code, one.status_code) == (reads, reads)
    assert stored.status_code == (201 if role == "admin" else 403), stored.text


async def test_a_new_version_is_stored_against_the_version_seen_and_given_to_new_clocks(
    clients: dict[str, httpx.AsyncClient],
) -> None:
    admin = clients["admin"]
    newest = await _newest(admin)

    unversioned = await admin.post("/v1/sla/policies", json={"document": NEW})
    stale = await admin.post("/v1/sla/policies", json={"document": NEW},
                             headers={"If-Match": f'"{newest - 1}"'})  # fmt: skip
    broken = await admin.post(
        "/v1/sla/policies", json={"document": NEW.replace("2h", "two hours")},
        headers={"If-Match": f'"{newest}"'},
    )  # fmt: skip
    stored = await admin.post("/v1/sla/policies", json={"document": NEW, "comment": "проще"},
                              headers={"If-Match": f'"{newest}"'})  # fmt: skip

    assert (unversioned.status_code, stale.status_code) == (428, 412)
    assert broken.status_code == 422 and "policies:2:" in broken.json()["detail"]
    assert stored.status_code == 201 and stored.json() == {"version": newest + 1}
    listed = (await admin.get("/v1/sla/policies/versions")).json()
    assert listed[0]["version"] == newest + 1 and listed[0]["in_use"] is True
    assert listed[0]["comment"] == "проще"
    now = datetime.now(UTC)
    routed = AppealRouted(
        appeal_id=uuid.uuid4(), agency_id="ivanovo-zhkh", agency_name="ЖКХ", topic="roads.repair",
        urgent=False, platform=Platform.VK, page_id="p", routed_at=now, written_at=now,
    )  # fmt: skip
    deps = app.state.service.deps
    await handle_appeal_routed(new_envelope(routed, source="t", correlation_id="c"), deps)
    async with deps.sessions() as session:
        clock = await repository.get_clock(session, routed.appeal_id)
    assert clock is not None
    assert (clock["policy_id"], clock["policy_version"]) == ("everything-in-2h", newest + 1)
    assert clock["deadline"] == now + timedelta(hours=2)
