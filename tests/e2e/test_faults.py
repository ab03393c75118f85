"""Faults under load: what the platform promises when its processes and servers fail.

While appeals are posted to ingest at a steady pace (single and batch API, each retried on a
503 or a timeout until ingest acknowledges it, as a platform does), with one poison record
written straight to `appeals.received.v1`:
- each consumer (classifier, router, SLA monitor) runs as two, then three members of its group
  (the stack's process and replicas of `stack.py replica`), so the groups rebalance mid-load;
- a replica of each is killed with SIGKILL and replaced; another gets SIGTERM and is started
  again (a rolling restart), and must exit cleanly;
- the Kafka broker is stopped and started, then PostgreSQL.
Afterwards, this proves: ingest answered only 202, 429 or 503 (never a 500), refused some
appeals while Kafka was away and took every one in the end (no appeal's retries gave up);
every acknowledged appeal has its assignment in `router.assignments` and its clock with a
deadline in `sla.clocks`; on `appeals.routed.v1` it has one routed event and on
`sla.deadlines.v1` one first deadline (copies of that same event, byte for byte, are
redeliveries and allowed; a second event is a second routing and is not);
the dead-letter topic got the poison and nothing else; Kafka, PostgreSQL and the stack's own
services are up and ready again.
"""

import asyncio
import contextlib
import json
import logging
import signal
import socket
import uuid
from collections.abc import Iterable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from appeals_common.topics import (
    APPEALS_CLASSIFIED,
    APPEALS_RECEIVED,
    APPEALS_ROUTED,
    DEAD_LETTER,
    SLA_DEADLINES,
)
from ingest.adapters.page_registry_file import load_seed
from tests.e2e.fault_support import (
    Load,
    Replica,
    Stored,
    by_appeal,
    end_offsets,
    not_ready,
    read_since,
    send_poison,
    stored,
)
from tests.infra import E2E_ENV, ROOT, Infra, stack, unavailable

pytestmark = pytest.mark.e2e
log = logging.getLogger(__name__)

[SITE_KEY] = load_seed(ROOT / "config" / "pages.yaml").demo_keys["site-ivanovo"]
# The test profile's own servers (docs/local-stack.md): the only ones we may stop.
OWN = {"kafka": ("127.0.0.1", 29092), "postgres": ("127.0.0.1", 55433)}
CONSUMERS = ("classifier", "router", "sla-monitor")
APPEALS_PER_SECOND = 30
SPACING_S = 2.0  # between faults, so that each one hits a pipeline in full flow
TOPICS = (APPEALS_RECEIVED, APPEALS_CLASSIFIED, APPEALS_ROUTED, SLA_DEADLINES, DEAD_LETTER)
# Each consumer group's input on the appeal's way: it commits there once the appeal is done.
_INPUT = {
    "classifier": APPEALS_RECEIVED,
    "router": APPEALS_CLASSIFIED,
    "sla-monitor": APPEALS_ROUTED,
}


async def test_no_acknowledged_appeal_is_lost_or_doubled_through_faults_under_load(
    infra: Infra, running_services: dict[str, str]
) -> None:
    own_kafka, own_postgres = "{}:{}".format(*OWN["kafka"]), ":{}/".format(OWN["postgres"][1])
    if infra.kafka_bootstrap_servers != own_kafka or own_postgres not in infra.database_url:
        unavailable("the fault suite restarts the test profile's own Kafka and PostgreSQL")
    env = {
        **E2E_ENV,
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
        "DATABASE_URL": infra.database_url,
        "OIDC_ISSUER": infra.idp_url,
    }
    second = {s: Replica(s, "b", env) for s in CONSUMERS}
    third = {s: Replica(s, "c", env) for s in CONSUMERS}
    since = await end_offsets(infra.kafka_bootstrap_servers, TOPICS)
    load, stop = Load(running_services["ingest"], SITE_KEY), asyncio.Event()
    driving: asyncio.Task[None] | None = None
    try:
        await _started(second.values())  # two members per group before the load
        driving = asyncio.create_task(load.drive(stop, APPEALS_PER_SECOND))
        poison = await send_poison(
            infra.kafka_bootstrap_servers,
            APPEALS_RECEIVED,
            b"\xffnot an event " + load.run.encode(),
        )
        await _faults(second, third, env)
        stop.set()
        async with asyncio.timeout(150):  # each appeal's retries give up after 120 s
            await driving
        # Checked with the replicas still running: the groups must settle as they are.
        await _check(load, infra, since, poison, _ready_urls(running_services))
    finally:
        stop.set()
        if driving is not None and not driving.done():
            driving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await driving
        await _tidy([*second.values(), *third.values()], env, _ready_urls(running_services))
        await _flowing_again(load, infra, env["KAFKA_GROUP_SUFFIX"])


async def _flowing_again(load: Load, infra: Infra, suffix: str) -> None:
    """One more appeal through the whole pipeline, then each consumer group's offsets committed
    up to the end of its input topic. The replicas have left by now and a group in a rebalance
    cannot commit, so this returns only once every group has done rebalancing: the tests after
    this one (whose SLA targets are seconds) do not wait one out."""
    before = set(load.acknowledged)
    await load.post_one()
    await _settled(infra.database_url, set(load.acknowledged) - before)
    bootstrap = infra.kafka_bootstrap_servers
    for service, topic in _INPUT.items():
        ends = await end_offsets(bootstrap, [topic])
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=f"{service}{suffix}", enable_auto_commit=False
        )
        await consumer.start()
        try:
            async with asyncio.timeout(60):
                while [tp for tp, end in ends.items() if (await consumer.committed(tp) or 0) < end]:
                    await asyncio.sleep(0.5)
        finally:
            await consumer.stop()


async def _check(
    load: Load, infra: Infra, since: dict[Any, int], poison: str, own: list[str]
) -> None:
    """Every acknowledged appeal routed and clocked once; the poison alone dead-lettered."""
    ids = set(load.acknowledged)
    log.info(
        "load: %d sent, %d acknowledged (%d after a refusal), answers %s",
        load.sent, len(ids), len(load.retried_appeals()), dict(load.statuses),
    )  # fmt: skip
    assert load.unexpected == [], load.unexpected[:10]
    assert load.statuses["503"] > 0, f"ingest never said 503 while Kafka was away: {load.statuses}"
    # Refusals end with the outage: a platform's retries get every appeal in at last.
    assert load.abandoned == 0, f"{load.abandoned} appeals refused for 120 s: ingest stuck"
    assert len(ids) > 20 * APPEALS_PER_SECOND, f"too few appeals acknowledged: {len(ids)}"

    state = await _settled(infra.database_url, ids)
    unassigned, unclocked = sorted(ids - state.assigned), sorted(ids - state.clocked)
    assert unassigned == [], f"{len(unassigned)} acknowledged, never assigned: {unassigned[:5]}"
    assert unclocked == [], f"{len(unclocked)} acknowledged, no SLA clock: {unclocked[:5]}"
    assert state.outbox == 0, f"{state.outbox} outbox rows still unpublished"

    bootstrap = infra.kafka_bootstrap_servers
    routed = await _one_event_each(bootstrap, since, APPEALS_ROUTED, ids, "routed")
    deadlines = await _one_event_each(bootstrap, since, SLA_DEADLINES, ids, "deadline")
    received = await _copies(bootstrap, since, APPEALS_RECEIVED, ids)
    classified = await _copies(bootstrap, since, APPEALS_CLASSIFIED, ids)
    log.info(
        "redelivered copies: received %d, classified %d, routed %d, deadlines %d",
        received, classified, routed, deadlines,
    )  # fmt: skip

    dead = await read_since(bootstrap, since, DEAD_LETTER)
    sources = [(dict(r.headers).get("dlq-source"), dict(r.headers).get("dlq-group")) for r in dead]
    assert sources, "the poison record was not dead-lettered"
    assert {source for source, _ in sources} == {poison.encode()}, sources
    assert (poison.encode(), b"classifier-e2e") in sources, sources

    unready = await _until_ready(own, timeout_s=30)
    assert unready == [], f"the stack's own services not ready after the faults: {unready}"


async def _faults(
    second: dict[str, Replica], third: dict[str, Replica], env: dict[str, str]
) -> None:
    """The faults, one after another, while the load runs."""
    for replica in third.values():  # a third member each: the groups rebalance under load
        replica.start()
    await asyncio.sleep(SPACING_S)
    for replica in second.values():
        assert await replica.signal(signal.SIGKILL) == -signal.SIGKILL
        replica.start()  # its replacement
    await _started(third.values(), start=False)
    await asyncio.sleep(SPACING_S)
    codes = await asyncio.gather(*(r.signal(signal.SIGTERM) for r in third.values()))
    for replica, code in zip(third.values(), codes, strict=True):  # a clean exit each
        assert code in (0, -signal.SIGTERM) and replica.shut_down_cleanly(), replica.tail()
    await _started(third.values())  # the rolling restart's new processes
    await _started(second.values(), start=False)
    await asyncio.sleep(SPACING_S)
    # Down longer than ingest waits for an acknowledgement (10 s): it must answer 503.
    await asyncio.to_thread(stack, "restart", "kafka", "--down-for", "6", env=env)
    await asyncio.sleep(SPACING_S)
    await asyncio.to_thread(stack, "restart", "postgres", "--down-for", "3", env=env)
    await asyncio.sleep(SPACING_S)


async def _started(replicas: Iterable[Replica], *, start: bool = True) -> None:
    replicas = list(replicas)
    for replica in replicas if start else ():
        replica.start()
    await asyncio.gather(*(r.ready() for r in replicas))


async def _settled(database_url: str, ids: set[str], stalled_s: float = 30) -> Stored:
    """What the database holds once every appeal is assigned and clocked and the outboxes are
    empty, or once nothing has moved for `stalled_s` (at most 3 minutes in all)."""
    loop = asyncio.get_running_loop()
    last, moved_at, deadline = None, loop.time(), loop.time() + 180
    while True:
        state = await stored(database_url, ids)
        if state.assigned >= ids and state.clocked >= ids and state.outbox == 0:
            return state
        progress = (len(state.assigned), len(state.clocked), state.outbox)
        if progress != last:
            last, moved_at = progress, loop.time()
        if loop.time() - moved_at > stalled_s or loop.time() > deadline:
            return state
        await asyncio.sleep(1)


async def _one_event_each(
    bootstrap: str, since: dict[Any, int], topic: str, ids: set[str], name: str
) -> int:
    """Assert that each appeal has one event on `topic`, `name`d by its id (copies of it are
    byte-for-byte the same); the number of redelivered copies."""
    events = by_appeal(await read_since(bootstrap, since, topic))
    missing = sorted(a for a in ids if not events.get(a))
    assert missing == [], f"{len(missing)} acknowledged appeals without an event on {topic}"
    doubled = {
        a: {e["id"] for e in events[a]}
        for a in ids
        if len({json.dumps(e, sort_keys=True) for e in events[a]}) > 1
        or {e["id"] for e in events[a]} != {str(uuid.uuid5(uuid.UUID(a), name))}
    }
    assert doubled == {}, f"appeals with more than one distinct event on {topic}: {doubled}"
    return sum(len(events[a]) - 1 for a in ids)


async def _copies(bootstrap: str, since: dict[Any, int], topic: str, ids: set[str]) -> int:
    """How many more records than appeals `topic` carried for them (redeliveries, retries)."""
    events = by_appeal(await read_since(bootstrap, since, topic))
    return sum(len(events.get(a, ())) - 1 for a in ids if a in events)


def _ready_urls(services: dict[str, str]) -> list[str]:
    """The stack's own processes that answer /health/ready."""
    return [services[s] for s in ("ingest", *CONSUMERS, "ingest-delivery")]


async def _tidy(replicas: list[Replica], env: dict[str, str], own: list[str]) -> None:
    """Leave the stack as we found it, whatever failed above: replicas gone, Kafka and
    PostgreSQL answering, the stack's own services ready (restarted if they are not)."""
    await asyncio.gather(*(r.stop() for r in replicas))
    for server, address in OWN.items():
        if not _port_open(address):
            await asyncio.to_thread(stack, "restart", server, env=env)
    if await _until_ready(own, timeout_s=30):
        await asyncio.to_thread(stack, "services-down", env=env)
        await asyncio.to_thread(stack, "services-up", env=env)


async def _until_ready(urls: list[str], timeout_s: float) -> list[str]:
    """Those of `urls` still not ready after `timeout_s`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while (unready := await not_ready(urls)) and loop.time() < deadline:
        await asyncio.sleep(0.5)
    return unready


def _port_open(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False
