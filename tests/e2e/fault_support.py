"""For the fault suite: extra replicas of a service as processes we can kill, a load generator
that retries like a platform, and direct reads of the topics and the database afterwards."""

import asyncio
import collections
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from appeals_common.topics import TOPICS
from tests.infra import PROFILE, ROOT, STACK

LOGS = ROOT / ".stack" / PROFILE / "logs"
TEXTS = (  # each one an appeal to the classifier, so each one is routed
    "На ул. Ленина у дома {n} огромная яма на дороге, машины бьют колёса",
    "Не вывозят мусор у дома {n}, контейнеры полные",
    "Не работает лифт в подъезде дома {n} уже неделю",
    "Не горит уличный фонарь у дома {n}, вечером ничего не видно",
    "Бродячие собаки стаей бегают у дома {n}, страшно детей отпускать",
    "В квартире {n} нет горячей воды третий день",
)


class Replica:
    """One more process of a service on its own port, in the stack's consumer groups
    (`stack.py replica`, which execs the service: a signal to our child reaches it)."""

    def __init__(self, service: str, name: str, env: dict[str, str]) -> None:
        self.service, self.port, self._env = service, 0, env
        self.log = LOGS / f"{service}-replica-{name}.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start it on a port free now (other stacks may run on this machine)."""
        self.port = _free_port()
        python = ROOT / ".venv" / "bin" / "python"
        argv = [str(python), str(STACK), "replica", self.service, "--port", str(self.port)]
        with self.log.open("ab") as out:
            out.write(f"\n--- fault suite: started {datetime.now(UTC).isoformat()} ---\n".encode())
            out.flush()
            self._proc = subprocess.Popen(
                [*argv, "--profile", PROFILE],
                cwd=ROOT,
                env={**os.environ, **self._env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def ready(self, timeout_s: float = 90) -> None:
        """Wait until it answers 200 on /health/ready; fail with its log if it exits."""
        url = f"http://127.0.0.1:{self.port}/health/ready"
        async with asyncio.timeout(timeout_s), httpx.AsyncClient(timeout=2) as http:
            while not await _answers(http, url):
                assert self._proc is not None and self._proc.poll() is None, self.tail()
                await asyncio.sleep(0.25)

    async def signal(self, sig: signal.Signals, timeout_s: float = 30) -> int:
        """Send `sig` and wait for the process to exit; its exit code."""
        assert self._proc is not None
        self._proc.send_signal(sig)
        return await asyncio.to_thread(self._proc.wait, timeout_s)

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after 20 s; nothing left running."""
        if self._proc is None or self._proc.poll() is not None:
            return
        try:
            await self.signal(signal.SIGTERM, 20)
        except subprocess.TimeoutExpired:
            await self.signal(signal.SIGKILL, 10)

    def shut_down_cleanly(self) -> bool:
        """Whether its last run ended with the app's own shutdown (uvicorn then re-raises the
        signal, so the exit code is -SIGTERM)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "Application shutdown complete." in text.rsplit("--- fault suite: started", 1)[-1]

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"{self.service} on {self.port} exited; {self.log}:\n" + "\n".join(
            text.splitlines()[-lines:]
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _answers(http: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await http.get(url)).status_code == 200
    except httpx.TransportError:
        return False


async def not_ready(urls: Iterable[str]) -> list[str]:
    """Those of `urls` whose service does not answer 200 on /health/ready."""
    async with httpx.AsyncClient(timeout=3) as http:
        return [url for url in urls if not await _answers(http, f"{url}/health/ready")]


@dataclass
class Load:
    """Appeals posted to ingest at a steady pace, one at a time or in batches, each retried
    (503, 429, a timeout or a refused connection) until ingest acknowledges it, like a
    platform would; an appeal counts as acknowledged only once ingest answered 202 for it."""

    ingest_url: str
    api_key: str
    page_id: str = "site-ivanovo"
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    acknowledged: dict[str, str] = field(default_factory=dict)  # appeal id -> external id
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    retried: set[str] = field(default_factory=set)  # external ids refused at least once
    unexpected: list[str] = field(default_factory=list)  # answers no platform should get
    sent: int = 0
    abandoned: int = 0  # appeals still refused when their retries gave up

    async def drive(self, stop: asyncio.Event, per_second: float, in_flight: int = 32) -> None:
        """Post until `stop` is set: of every 4 ticks, 3 single appeals and one batch of 7."""
        interval, tick = 10 / (4 * per_second), 0  # 10 appeals every 4 ticks
        slots, tasks = asyncio.Semaphore(in_flight), set()
        # Longer than ingest waits for Kafka (10 s), so its 503 comes before we give up.
        async with httpx.AsyncClient(timeout=15) as http:
            next_at = time.monotonic()
            while not stop.is_set():
                await slots.acquire()  # a backlog of retries holds new appeals back
                size = 7 if tick % 4 == 3 else 1
                task = asyncio.create_task(self._deliver(http, self._items(size), size > 1))
                task.add_done_callback(lambda _: slots.release())
                tasks.add(task)
                tick, next_at = tick + 1, next_at + interval
                await asyncio.sleep(max(next_at - time.monotonic(), 0))
            await asyncio.gather(*tasks)

    async def post_one(self) -> None:
        """One more single appeal, retried like the others."""
        async with httpx.AsyncClient(timeout=15) as http:
            await self._deliver(http, self._items(1), False)

    def _items(self, count: int) -> list[dict[str, Any]]:
        items = []
        for _ in range(count):
            self.sent += 1
            items.append({
                "page_id": self.page_id,
                "external_id": f"fault-{self.run}-{self.sent}",
                "author_id": f"fault-{self.sent % 97}",
                "text": TEXTS[self.sent % len(TEXTS)].format(n=self.sent % 200 + 1),
                "written_at": datetime.now(UTC).isoformat(),
            })  # fmt: skip
        return items

    async def _deliver(
        self,
        http: httpx.AsyncClient,
        items: list[dict[str, Any]],
        batch: bool,
        give_up_s: float = 120,
    ) -> None:
        deadline, delay = time.monotonic() + give_up_s, 0.25
        while time.monotonic() < deadline:
            if await self._post(http, items, batch):
                return
            self.retried.update(item["external_id"] for item in items)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
        self.abandoned += len(items)

    async def _post(
        self, http: httpx.AsyncClient, items: list[dict[str, Any]], batch: bool
    ) -> bool:
        url = f"{self.ingest_url}/v1/appeals" + ("/batch" if batch else "")
        body = {"items": items} if batch else items[0]
        try:
            response = await http.post(
                url, json=body, headers={"Authorization": f"Bearer {self.api_key}"}
            )
        except httpx.TransportError as error:
            self.statuses[type(error).__name__] += 1
            return False
        self.statuses[str(response.status_code)] += 1
        if response.status_code != 202:
            if response.status_code not in (429, 503):
                self.unexpected.append(f"{response.status_code} {response.text[:200]}")
            return False
        answer = response.json()
        results = answer["items"] if batch else [answer | {"index": 0}]
        for result in results:
            if result.get("status", "accepted") != "accepted":
                self.unexpected.append(f"rejected item: {result}")
                continue
            self.acknowledged[result["appeal_id"]] = items[result["index"]]["external_id"]
        return True

    def retried_appeals(self) -> set[str]:
        """The acknowledged appeals that were refused or timed out at least once first."""
        return {a for a, external in self.acknowledged.items() if external in self.retried}


async def end_offsets(bootstrap: str, topics: Iterable[str]) -> dict[TopicPartition, int]:
    """Where each partition of `topics` ends now: what a run reads from afterwards."""
    partitions = {spec.name: spec.partitions for spec in TOPICS}  # as ensure_topics made them
    tps = [TopicPartition(t, p) for t in topics for p in range(partitions[t])]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(tps))
    finally:
        await consumer.stop()


async def read_since(
    bootstrap: str, since: dict[TopicPartition, int], topic: str
) -> list[ConsumerRecord]:
    """Every record of `topic` from the offsets in `since` up to the topic's end now."""
    tps = [tp for tp in since if tp.topic == topic]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            consumer.seek(tp, since[tp])
        records: list[ConsumerRecord] = []
        async with asyncio.timeout(60):
            while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records += [
                        r for r in batch if r.offset < ends[TopicPartition(topic, r.partition)]
                    ]
        return records
    finally:
        await consumer.stop()


async def send_poison(bootstrap: str, topic: str, value: bytes) -> str:
    """Write bytes that are no event straight to `topic`; "topic/partition/offset" of them."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(topic, value, key=b"poison")
    finally:
        await producer.stop()
    return f"{sent.topic}/{sent.partition}/{sent.offset}"


def by_appeal(records: Iterable[ConsumerRecord]) -> dict[str, list[dict[str, Any]]]:
    """A topic's events grouped by the appeal their payload names."""
    grouped: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for record in records:
        try:
            event = json.loads(record.value)
        except ValueError:
            continue  # the poison
        payload = event["payload"]
        grouped[payload.get("appeal_id") or payload["appeal"]["appeal_id"]].append(event)
    return grouped


@dataclass(frozen=True)
class Stored:
    """What PostgreSQL holds for a run's appeals."""

    assigned: set[str]
    clocked: set[str]  # clocks with a deadline
    outbox: int  # rows the relays have not published yet, router's and SLA monitor's


async def stored(database_url: str, appeal_ids: Iterable[str]) -> Stored:
    ids = [uuid.UUID(a) for a in appeal_ids]
    url = database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url, timeout=5)
    try:
        assigned = await connection.fetch(
            "SELECT appeal_id FROM router.assignments WHERE appeal_id = ANY($1)", ids
        )
        clocked = await connection.fetch(
            "SELECT appeal_id FROM sla.clocks WHERE appeal_id = ANY($1) AND deadline IS NOT NULL",
            ids,
        )
        outbox = await connection.fetchval(
            "SELECT (SELECT count(*) FROM router.outbox) + (SELECT count(*) FROM sla.outbox)"
        )
    finally:
        await connection.close()
    return Stored(
        {str(r["appeal_id"]) for r in assigned}, {str(r["appeal_id"]) for r in clocked}, outbox
    )
