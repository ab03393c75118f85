"""Load benchmark: push N appeals through ingest and time each one until it is routed.

    uv run python -m tools.bench [-n 2000] [--concurrency 50] [--rate 0] [--mode single|vk] [--json]

(a) Ingest acceptance: requests per second and the client's HTTP latency p50/p95/p99.
(b) Ingest to routed: a consumer of `appeals.routed.v1`, positioned at the end of every
    partition before the first POST, matches each routed event to its appeal; the latency is
    the moment the event is consumed minus the moment its POST started.
Texts come from the demo batch (appeals only), spread over the pages so they reach several
agencies. Everything is bounded by `--timeout`. Exit code 0 when every appeal was accepted
and routed in time, 1 otherwise, 2 when ingest or Kafka does not answer.
"""

import argparse
import asyncio
import json
import math
import os
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

if __package__ in (None, ""):  # run as `python tools/bench.py`: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appeals_common.errors import PoisonEvent
from appeals_common.events import AppealRouted, decode_event
from appeals_common.topics import APPEALS_ROUTED
from tools.demo_appeals import (
    DEMO_APPEALS,
    Channel,
    DemoAppeal,
    Outgoing,
    build_request,
    load_pages,
)

POOL = [a for a in DEMO_APPEALS if a["expected_topic"] != "not_appeal"]
# Where each mode sends: (channel, page) pairs the texts rotate over.
TARGETS: dict[str, list[tuple[Channel, str]]] = {
    "single": [("site", "site-ivanovo"), ("callcentre", "callcentre-region")],
    "vk": [(c, g) for g in ("220001", "220003", "220002") for c in ("vk_comment", "vk_message")],
}


@dataclass
class Run:
    """What was measured; times are `time.perf_counter()` seconds."""

    started: dict[uuid.UUID, float] = field(default_factory=dict)  # POST start
    accepted: dict[uuid.UUID, float] = field(default_factory=dict)  # response received
    routed: dict[uuid.UUID, float] = field(default_factory=dict)  # routed event consumed
    errors: Counter[str] = field(default_factory=Counter)
    posting_done: asyncio.Event = field(default_factory=asyncio.Event)

    def all_routed(self) -> bool:
        return self.posting_done.is_set() and self.accepted.keys() <= self.routed.keys()


def appeal(i: int, mode: str) -> DemoAppeal:
    """The i-th appeal: texts cycle through the pool, each round on the next page."""
    base, targets = POOL[i % len(POOL)], TARGETS[mode]
    channel, page = targets[(i + i // len(POOL)) % len(targets)]
    item = base.copy()
    item["channel"], item["page"] = channel, page
    return item


async def open_consumer(bootstrap: str) -> AIOKafkaConsumer:
    """A consumer of the routed topic, outside any group, at the current end of each partition.

    Without a group it is assigned every partition at start; nothing is committed, and the
    services' consumer groups are not touched.
    """
    consumer = AIOKafkaConsumer(
        APPEALS_ROUTED,
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="latest",
        isolation_level="read_committed",
    )
    try:
        await consumer.start()
        if not consumer.partitions_for_topic(APPEALS_ROUTED):
            raise ConnectionError(f"topic {APPEALS_ROUTED} does not exist")
        while not consumer.assignment():  # bounded by the caller's wait_for
            await asyncio.sleep(0.05)
        partitions = consumer.assignment()
        await consumer.seek_to_end(*partitions)
        for tp in partitions:  # resolve the positions now, before anything is posted
            await consumer.position(tp)
    except BaseException:
        await consumer.stop()
        raise
    return consumer


async def consume(consumer: AIOKafkaConsumer, run: Run, deadline: float) -> None:
    """Note when each of our appeals is seen routed, until all are or the deadline."""
    while not run.all_routed() and time.monotonic() < deadline:
        batches = await consumer.getmany(timeout_ms=100, max_records=2000)
        seen = time.perf_counter()
        for records in batches.values():
            for record in records:
                try:
                    appeal_id = decode_event(record.value, AppealRouted).payload.appeal_id
                except PoisonEvent:
                    continue
                if appeal_id in run.started:
                    run.routed.setdefault(appeal_id, seen)  # duplicates are expected


async def post_all(args: argparse.Namespace, run: Run, deadline: float) -> None:
    """`--concurrency` workers share the sequence of N appeals until it or the time runs out."""
    pages, tag, numbers = load_pages(), int(time.time()), iter(range(args.n))
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )

    async def worker(client: httpx.AsyncClient) -> None:
        for i in numbers:
            if time.monotonic() >= deadline:
                run.errors["not sent: timeout"] += 1
                continue
            await post_one(client, build_request(appeal(i, args.mode), i, tag, pages), run)

    async def on_schedule(client: httpx.AsyncClient) -> None:
        """Open loop: appeal i starts at i / rate whatever the answers (queueing shows)."""
        began, posts = time.perf_counter(), []
        for i in numbers:
            await asyncio.sleep(max(0.0, began + i / args.rate - time.perf_counter()))
            request = build_request(appeal(i, args.mode), i, tag, pages)
            posts.append(asyncio.create_task(post_one(client, request, run)))
        await asyncio.gather(*posts)

    async with httpx.AsyncClient(base_url=args.ingest_url, limits=limits, timeout=10.0) as client:
        if args.rate:
            await on_schedule(client)
        else:
            await asyncio.gather(*(worker(client) for _ in range(args.concurrency)))
    run.posting_done.set()


async def post_one(client: httpx.AsyncClient, request: Outgoing, run: Run) -> None:
    """POST one appeal, noting when it started and when it was accepted."""
    run.started[request.appeal_id] = time.perf_counter()
    try:
        response = await client.post(request.path, json=request.body, headers=request.headers)
    except httpx.HTTPError as exc:
        run.errors[type(exc).__name__] += 1
        return
    if response.status_code in (200, 202):
        run.accepted[request.appeal_id] = time.perf_counter()
    else:
        run.errors[f"HTTP {response.status_code}: {response.text[:80]}"] += 1


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of a non-empty ascending list."""
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


def stage(ok: int, failed: int, starts: list[float], ends: list[float]) -> dict[str, Any]:
    """Count, rate and latency percentiles of one stage, from per-appeal start and end times."""
    summary: dict[str, Any] = {"ok": ok, "failed": failed}
    keys = ("seconds", "per_second", "p50_ms", "p95_ms", "p99_ms", "max_ms")
    if not ends:  # nothing got through: no figures rather than NaN in the JSON line
        return summary | dict.fromkeys(keys)
    latencies = sorted((e - s) * 1000 for s, e in zip(starts, ends, strict=True))
    seconds = max(ends) - min(starts)
    figures = [seconds, ok / seconds, *(percentile(latencies, p) for p in (50, 95, 99, 100))]
    return summary | {
        k: round(v, 1 if k != "seconds" else 3) for k, v in zip(keys, figures, strict=True)
    }


def summarise(run: Run, n: int) -> dict[str, dict[str, Any]]:
    accepted = list(run.accepted)
    routed = [a for a in accepted if a in run.routed]
    return {
        "ingest": stage(
            len(accepted),
            n - len(accepted),
            [run.started[a] for a in accepted],
            [run.accepted[a] for a in accepted],
        ),
        "routed": stage(
            len(routed),
            len(accepted) - len(routed),
            [run.started[a] for a in routed],
            [run.routed[a] for a in routed],
        ),
    }


def print_table(args: argparse.Namespace, result: dict[str, dict[str, Any]], run: Run) -> None:
    print(f"bench: mode={args.mode} n={args.n} concurrency={args.concurrency}", end=" ")
    print(f"ingest={args.ingest_url} kafka={args.kafka}")
    head = ("stage", "ok", "failed", "seconds", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"{head[0]:<17}" + "".join(f"{h:>9}" for h in head[1:]))
    names = {"ingest": "ingest accepted", "routed": "ingest → routed"}
    keys = ("ok", "failed", "seconds", "per_second", "p50_ms", "p95_ms", "p99_ms", "max_ms")
    for name, row in result.items():
        print(f"{names[name]:<17}" + "".join(f"{_cell(row[k]):>9}" for k in keys))
    for error, count in run.errors.most_common(5):
        print(f"  {count} × {error}")


def _cell(value: float | None) -> str:
    return "—" if value is None else str(value)


async def bench(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Run the benchmark; a ConnectionError when ingest or Kafka is not there."""
    deadline = time.monotonic() + args.timeout
    async with httpx.AsyncClient(base_url=args.ingest_url, timeout=5.0) as client:
        try:
            (await client.get("/health/ready")).raise_for_status()
        except httpx.HTTPError as exc:
            raise ConnectionError(f"ingest at {args.ingest_url} is not ready: {exc!r}") from exc
    try:
        consumer = await asyncio.wait_for(open_consumer(args.kafka), timeout=20)
    except Exception as exc:  # aiokafka's connection errors have no common base with OSError
        raise ConnectionError(f"Kafka at {args.kafka}: {exc!r}") from exc
    run = Run()
    try:
        consuming = asyncio.create_task(consume(consumer, run, deadline))
        await post_all(args, run, deadline)
        await consuming
    finally:
        await consumer.stop()
    result = summarise(run, args.n)
    print_table(args, result, run)
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="appeals to send (default 2000)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight")
    parser.add_argument(
        "--rate", type=float, default=0.0, help="appeals/s on a fixed schedule; 0: closed loop"
    )
    parser.add_argument(
        "--mode",
        choices=sorted(TARGETS),
        default="single",
        help="single: POST /v1/appeals; vk: POST /callbacks/vk",
    )
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds for everything")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument("--ingest-url", default=env("INGEST_URL", "http://127.0.0.1:8001"))
    parser.add_argument(
        "--kafka", default=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"), help="bootstrap"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.n < 1_000_000 or args.concurrency < 1 or args.rate < 0:
        parser.error("need 1 <= n < 1000000, concurrency >= 1 and rate >= 0")
    return args


def main() -> int:
    args = parse_args()
    try:
        result = asyncio.run(bench(args))
    except ConnectionError as exc:
        sys.stderr.write(
            f"bench: {exc}\nIs the stack up? .venv/bin/python deploy/local/stack.py up\n"
        )
        return 2
    if args.json:
        line = {"mode": args.mode, "n": args.n, "concurrency": args.concurrency, **result}
        print(json.dumps(line, ensure_ascii=False))
    complete = all(r["failed"] == 0 for r in result.values())
    if not complete:
        sys.stderr.write(
            f"bench: not everything was accepted and routed within {args.timeout:g} s\n"
        )
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
