"""End to end: the four services as separate processes on the real broker and database.

The services run with a 3 s SLA target (2 s urgent), so an unanswered appeal breaches quickly.
"""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from appeals_common.events import AppealKind, Platform
from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_CLASSIFIED, DEAD_LETTER, SLA_BREACHES
from ingest.adapters.page_registry_file import load_seed
from ingest.domain.normalise import appeal_id as vk_appeal_id
from tests.infra import ROOT

pytestmark = pytest.mark.e2e

# The site form's demo API key, from the seed the local stack imports (development only).
[SITE_KEY] = load_seed(ROOT / "config" / "pages.yaml").demo_keys["site-ivanovo"]


@pytest.fixture
async def http(running_services, identity) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A ЦУР operator's client: the router and SLA monitor see every appeal for them."""
    headers = identity.headers("cur-operator")
    async with httpx.AsyncClient(timeout=10, headers=headers) as client:
        yield client


async def _post_appeal(http: httpx.AsyncClient, urls: dict[str, str], text: str) -> str:
    body = {
        "page_id": "site-ivanovo",
        "external_id": uuid.uuid4().hex,
        "author_id": f"e2e-{uuid.uuid4().hex[:6]}",
        "text": text,
        "written_at": datetime.now(UTC).isoformat(),
    }
    response = await http.post(
        f"{urls['ingest']}/v1/appeals", json=body, headers={"Authorization": f"Bearer {SITE_KEY}"}
    )
    assert response.status_code == 202, response.text
    return str(response.json()["appeal_id"])


def _unwrapped(response: httpx.Response) -> dict[str, object]:
    """The router's card holds the appeal under "appeal"; other answers are the object itself."""
    body = response.json() if response.status_code == 200 else {}
    return dict(body.get("appeal", body)) if isinstance(body, dict) else {}


async def _poll(
    http: httpx.AsyncClient, url: str, done, timeout_s: float = 30
) -> dict[str, object]:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout_s):
        while True:
            response = await http.get(url)
            body = _unwrapped(response)
            if response.status_code == 200 and done(body):
                return body
            await asyncio.sleep(0.2)


async def test_appeal_reaches_the_agency_queue_and_an_answer_stops_the_clock(
    http, running_services
) -> None:
    urls = running_services
    appeal_id = await _post_appeal(
        http, urls, "На ул. Ленина огромная яма на дороге, машины бьют колёса"
    )
    appeal = await _poll(http, f"{urls['router']}/v1/appeals/{appeal_id}", lambda a: True)
    assert appeal["agency_id"] == "ivanovo-roads"
    assert appeal["topic"] == "roads.repair"
    card = await http.get(f"{urls['router']}/v1/appeals/{appeal_id}")
    response = await http.post(
        f"{urls['router']}/v1/appeals/{appeal_id}/answer",
        json={"text": "Яму заделают до пятницы"},
        headers={"If-Match": card.headers["ETag"]},
    )
    assert response.status_code == 201
    clock = await _poll(
        http, f"{urls['sla-monitor']}/v1/sla/appeals/{appeal_id}", lambda c: c["state"] != "open"
    )
    assert clock["state"] == "answered_in_time"
    found: list[str] = []
    params: dict[str, object] = {"limit": 500, "status": "answered"}
    while appeal_id not in found:  # page by page: the shared queue may be long
        queue = (await http.get(f"{urls['router']}/v1/queues/ivanovo-roads", params=params)).json()
        found += [item["appeal_id"] for item in queue["items"]]
        if not queue["next_cursor"]:
            break
        params["cursor"] = queue["next_cursor"]
    assert appeal_id in found


async def test_unanswered_appeal_breaches_its_sla(http, infra, running_services) -> None:
    urls = running_services
    async with TopicReader(infra.kafka_bootstrap_servers, SLA_BREACHES) as breaches:
        appeal_id = await _post_appeal(
            http, urls, "Бродячие собаки стаей бегают у школы, страшно детей отпускать"
        )
        [record] = await breaches.wait_for(
            lambda r: json.loads(r.value)["payload"]["appeal_id"] == appeal_id
        )
    assert json.loads(record.value)["payload"]["agency_id"] == "ivanovo-zhkh"
    clock = await _poll(http, f"{urls['sla-monitor']}/v1/sla/appeals/{appeal_id}", lambda c: True)
    assert clock["state"] == "overdue"
    metrics = (await http.get(f"{urls['sla-monitor']}/metrics")).text
    assert 'sla_breaches_total{agency="ivanovo-zhkh"}' in metrics


async def test_vk_comment_is_routed_to_the_municipality_of_its_page(http, running_services) -> None:
    urls = running_services
    group, comment_id = 220003, int(time.time() * 1000) % 10**9
    body = {
        "type": "wall_reply_new",
        "event_id": uuid.uuid4().hex,
        "v": "5.199",
        "group_id": group,
        "secret": "demo-vk-secret-kineshma",
        "object": {
            "id": comment_id,
            "from_id": 555,
            "post_id": 7,
            "owner_id": -group,
            "post_owner_id": -group,
            "date": int(time.time()),
            "text": "Не горит уличный фонарь у дома 12, вечером ничего не видно",
        },
    }
    response = await http.post(f"{urls['ingest']}/callbacks/vk", json=body)
    assert (response.status_code, response.text) == (200, "ok")
    expected = vk_appeal_id(
        Platform.VK, str(group), AppealKind.COMMENT, f"wall-{group}_7/{comment_id}"
    )
    appeal = await _poll(http, f"{urls['router']}/v1/appeals/{expected}", lambda a: True)
    assert appeal["agency_id"] == "kineshma-admin"


async def test_a_poison_event_is_dead_lettered_and_the_pipeline_carries_on(
    http, infra, running_services
) -> None:
    urls = running_services
    marker = uuid.uuid4().hex
    async with TopicReader(infra.kafka_bootstrap_servers, DEAD_LETTER) as dlq:
        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap_servers)
        await producer.start()
        try:
            await producer.send_and_wait(
                APPEALS_CLASSIFIED, json.dumps({"poison": marker}).encode()
            )
        finally:
            await producer.stop()
        [dead] = await dlq.wait_for(
            lambda r: marker.encode() in r.value and dict(r.headers)["dlq-group"] == b"router-e2e"
        )
    assert b"invalid appeal.classified" in dict(dead.headers)["dlq-reason"]
    appeal_id = await _post_appeal(http, urls, "Не работает лифт в подъезде уже неделю")
    appeal = await _poll(http, f"{urls['router']}/v1/appeals/{appeal_id}", lambda a: True)
    assert appeal["agency_id"] == "ivanovo-zhkh"


def _received_total(metrics_text: str) -> float:
    """`ingest_appeals_received_total` for the generic API's private messages."""
    series = 'ingest_appeals_received_total{kind="private_message",platform="api"}'
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics_text.splitlines()
        if line.startswith(series)
    )


async def test_ingest_metrics_count_every_worker(http, running_services) -> None:
    # The stack runs ingest with several uvicorn workers; any one of them answers a scrape
    # and must report the appeals all of them accepted.
    urls = running_services
    before = _received_total((await http.get(f"{urls['ingest']}/metrics")).text)
    for n in range(12):  # new connections each: the workers share the listening socket
        async with httpx.AsyncClient(timeout=10) as fresh:
            await _post_appeal(fresh, urls, f"Не вывозят мусор у дома {n}, контейнеры полные")
    after = _received_total((await http.get(f"{urls['ingest']}/metrics")).text)
    assert after - before == 12
