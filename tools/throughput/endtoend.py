"""The whole pipeline under load: appeals offered to ingest on a fixed schedule (open loop),
counted as they come out routed, with each process's CPU over the run."""

import argparse
import asyncio
import time
from collections import Counter

from aiokafka import AIOKafkaConsumer

from appeals_common.topics import APPEALS_CLASSIFIED, APPEALS_RECEIVED, APPEALS_ROUTED
from tools import bench, load_ingest
from tools.throughput.infra import KAFKA, PORTS, Services

INGEST = f"http://127.0.0.1:{PORTS['ingest']}"
WINDOW_S = 10  # routed per second is reported per window, to show a lag that grows


class TopicWatch:
    """When each appeal was first seen on a topic, the routed one unless told (by key: a
    redelivered copy counts once)."""

    def __init__(self, topic: str = APPEALS_ROUTED) -> None:
        self.seen: dict[bytes, float] = {}
        self._consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=KAFKA, enable_auto_commit=False,
            auto_offset_reset="latest", isolation_level="read_committed",
        )  # fmt: skip
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "TopicWatch":
        await self._consumer.start()
        while not self._consumer.assignment():
            await asyncio.sleep(0.05)
        await self._consumer.seek_to_end(*self._consumer.assignment())
        for tp in self._consumer.assignment():
            await self._consumer.position(tp)
        self._task = asyncio.create_task(self._count())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
        await self._consumer.stop()

    async def _count(self) -> None:
        while True:
            polled = await self._consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.perf_counter()
            for records in polled.values():
                for record in records:
                    if record.key is not None:
                        self.seen.setdefault(record.key, now)

    async def wait_for(self, count: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.seen) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.1)


def _offer(
    n: int, rate: float, seconds: float, *, batch: int, connections: int
) -> argparse.Namespace:
    """load_ingest's arguments: n appeals at `rate` a second, `batch` a request (the batch API
    above 1), on a fixed schedule."""
    return argparse.Namespace(
        n=n, mode="batch" if batch > 1 else "single", batch_size=batch, rate=rate / batch,
        connections=connections, ingest_url=INGEST, timeout=seconds + 300,
    )  # fmt: skip


async def sustained(
    services: Services, rate: float, seconds: float, *, batch: int
) -> dict[str, object]:
    """Offer `rate` appeals/s for `seconds` (batches of `batch` through the batch API, or one
    request each when batch is 1); routed per second by window, and CPU per routed appeal."""
    n = int(rate * seconds)
    load = _offer(n, rate, seconds, batch=batch, connections=64 if batch == 1 else 8)
    async with TopicWatch() as routed:
        cpu_before, began = services.cpu(), time.perf_counter()
        _, tally = await load_ingest.run(load)
        sent_by = time.perf_counter()
        accepted = (tally.statuses["202"] + tally.statuses["200"]) * batch
        await routed.wait_for(min(accepted, n), timeout_s=300)
        done_by, cpu_after = time.perf_counter(), services.cpu()
    windows = Counter(int((at - began) // WINDOW_S) for at in routed.seen.values())
    total = len(routed.seen)
    return {
        "offered_per_second": rate,
        "seconds": seconds,
        "accepted": accepted,
        "routed": total,
        "routed_per_second_by_window": [round(windows[w] / WINDOW_S) for w in sorted(windows)],
        "routed_per_second": round(total / (done_by - began)),
        "tail_seconds": round(done_by - sent_by, 2),  # the last routed after the last sent
        "ingest_p99_ms": round(bench.percentile(sorted(tally.latencies_ms), 99), 1),
        "statuses": dict(tally.statuses),
        "cpu_ms_per_appeal": {
            k: round((cpu_after[k] - cpu_before.get(k, 0.0)) * 1000 / max(total, 1), 3)
            for k in cpu_after
        },
    }


async def latency(rate: float, seconds: float) -> dict[str, object]:
    """Single appeals offered at `rate`/s on a fixed schedule (open loop, the lean client);
    each one's time from when its request was due to when it was seen routed, and the same
    split by hop: to received (ingest), to classified, to routed (router)."""
    load = _offer(int(rate * seconds), rate, seconds, batch=1, connections=128)
    async with (
        TopicWatch(APPEALS_RECEIVED) as received,
        TopicWatch(APPEALS_CLASSIFIED) as classified,
        TopicWatch() as routed,
    ):
        _, tally = await load_ingest.run(load)
        accepted = tally.statuses["202"] + tally.statuses["200"]
        await routed.wait_for(accepted, timeout_s=300)
    waits = _waits(tally.due, routed.seen)
    figures: dict[str, object] = {
        "offered_per_second": rate, "seconds": seconds, "accepted": accepted,
        "routed": len(waits), "not_routed": accepted - len(waits),
        "ingest_p99_ms": round(bench.percentile(sorted(tally.latencies_ms), 99), 1),
    }  # fmt: skip
    if waits:
        figures |= {f"p{p}_ms": round(bench.percentile(waits, p), 1) for p in (50, 95, 99, 100)}
    hops = {
        "ingest": (tally.due, received.seen),
        "classifier": (received.seen, classified.seen),
        "router": (classified.seen, routed.seen),
    }
    figures["hops_p50_p99_ms"] = {
        hop: [round(bench.percentile(w, p), 1) for p in (50, 99)]
        for hop, (start, end) in hops.items()
        if (w := _waits(start, end))
    }
    return figures


def _waits(start: dict[bytes, float], end: dict[bytes, float]) -> list[float]:
    """Milliseconds from start to end of each key seen at both, sorted."""
    return sorted((end[key] - at) * 1000 for key, at in start.items() if key in end)
