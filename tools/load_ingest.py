"""Load test of ingest alone: webhooks accepted per second and the latency until Kafka has them.

    python tools/load_ingest.py [-n 20000] [--connections 32] [--rate 0] [--mode vk|single|batch]
                                [--batch-size 100]

Ingest answers `ok`/202 only once Kafka acknowledged the event, so the HTTP latency measured
here is the latency until the event is in Kafka. The client is deliberately lean (raw
keep-alive HTTP/1.1 over asyncio streams on uvloop, requests encoded before the clock starts)
so that on a small machine the load generator takes as little CPU from the server as it can.

`--rate 0` (default) is a closed loop: every connection sends its next request as soon as the
last one is answered, which finds the maximum throughput. `--rate R` is an open loop: requests
start on a fixed schedule of R per second whatever the answers, which shows the latency at that
load (a late answer does not slow the schedule down, so queueing is not hidden).
Exit code 0 when every request was accepted, 1 otherwise, 2 when ingest does not answer.
This floods three pages, which the per-page rate limit refuses (429): start ingest with
INGEST_PAGE_RATE_PER_SECOND=1000000 INGEST_PAGE_BURST=1000000 to measure throughput.
"""

import argparse
import asyncio
import gc
import json
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import uvloop

if __package__ in (None, ""):  # run as `python tools/load_ingest.py`: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.bench import TARGETS, percentile
from tools.demo_appeals import DEMO_APPEALS, Outgoing, build_request, load_pages

POOL = [a for a in DEMO_APPEALS if a["expected_topic"] != "not_appeal"]


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    # Open loop only: each appeal's id (as its Kafka key) and when its request was due.
    due: dict[bytes, float] = field(default_factory=dict)


def encode_requests(
    n: int, mode: str, host: str, batch_size: int = 1
) -> tuple[list[bytes], list[list[bytes]]]:
    """N distinct appeals as raw HTTP/1.1 requests: each a new platform object, so none dedups;
    in batch mode `batch_size` appeals of one source per request. Beside each request, the ids
    of its appeals as they key the pipeline's events."""
    pages, run = load_pages(), int(time.time())
    targets = TARGETS["single" if mode == "batch" else mode]
    per_request = batch_size if mode == "batch" else 1
    wire, ids = [], []
    for r, first in enumerate(range(0, n, per_request)):
        outgoing = []
        for i in range(first, min(first + per_request, n)):
            item = POOL[i % len(POOL)].copy()
            item["channel"], item["page"] = targets[(r if mode == "batch" else i) % len(targets)]
            outgoing.append(build_request(item, i, run, pages))
        wire.append(encode(outgoing, host, batch=mode == "batch"))
        ids.append([str(o.appeal_id).encode() for o in outgoing])
    return wire, ids


def encode(outgoing: list[Outgoing], host: str, *, batch: bool) -> bytes:
    """One request: a single appeal or callback, or a batch of appeals of one source."""
    path = "/v1/appeals/batch" if batch else outgoing[0].path
    payload = {"items": [o.body for o in outgoing]} if batch else outgoing[0].body
    body = json.dumps(payload, ensure_ascii=False).encode()
    extra = "".join(f"{name}: {value}\r\n" for name, value in outgoing[0].headers.items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{extra}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> str:
    """Read one response; its status code. Bodies are small and sent with a Content-Length."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        (int(v) for k, _, v in (x.partition(":") for x in lines) if k.lower() == "content-length"),
        0,
    )
    await reader.readexactly(length)
    return lines[0].split(" ", 2)[1]


async def connection(
    host: str, port: int, requests: asyncio.Queue[tuple[bytes, float]], tally: Tally
) -> None:
    """One keep-alive connection: take a request (and its scheduled start), send, time it."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            wire, start = await requests.get()
            start = start or time.perf_counter()
            writer.write(wire)
            status = await read_response(reader)
            tally.latencies_ms.append((time.perf_counter() - start) * 1000)
            tally.statuses[status] += 1
            requests.task_done()
    finally:
        writer.close()


async def run(args: argparse.Namespace) -> tuple[float, Tally]:
    """Send every request; the wall time it took and what came back."""
    url = urlsplit(args.ingest_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    wire, ids = encode_requests(args.n, args.mode, f"{host}:{port}", args.batch_size)
    gc.freeze()  # the encoded requests stay to the end: no collection has to walk them again
    queue: asyncio.Queue[tuple[bytes, float]] = asyncio.Queue()
    tally = Tally()
    workers = [
        asyncio.create_task(connection(host, port, queue, tally)) for _ in range(args.connections)
    ]
    began = time.perf_counter()
    if args.rate:  # open loop: the schedule, not the answers, decides when a request starts
        for i, request in enumerate(wire):
            due = began + i / args.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            queue.put_nowait((request, due))
            tally.due.update(dict.fromkeys(ids[i], due))
    else:
        for request in wire:
            queue.put_nowait((request, 0.0))
    try:
        async with asyncio.timeout(args.timeout):
            await queue.join()
    finally:
        for worker in workers:
            worker.cancel()
        failed = [w.exception() for w in workers if w.done() and not w.cancelled()]
    if any(failed):
        raise ConnectionError(f"ingest at {args.ingest_url}: {failed[0]!r}")
    return time.perf_counter() - began, tally


def report(args: argparse.Namespace, seconds: float, tally: Tally) -> dict[str, object]:
    ok = tally.statuses["200"] + tally.statuses["202"]
    per_request = args.batch_size if args.mode == "batch" else 1
    lat = sorted(tally.latencies_ms)
    figures: dict[str, object] = {
        "mode": args.mode,
        "n": args.n,
        "per_request": per_request,
        "connections": args.connections,
        "rate": args.rate,
        "ok": ok,
        "failed": math.ceil(args.n / per_request) - ok,
        "seconds": round(seconds, 3),
        "requests_per_second": round(ok / seconds, 1),
        # Appeals in Kafka per second: a batch's 202 means every item of it is there.
        "accepted_per_second": round(min(args.n, ok * per_request) / seconds, 1),
        **{f"p{p}_ms": round(percentile(lat, p), 1) for p in (50, 95, 99)},
        "max_ms": round(lat[-1], 1),
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    for status, count in tally.statuses.most_common():
        if status not in ("200", "202"):
            print(f"  {count} × HTTP {status}")
    return figures


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("-n", type=int, default=20_000, help="appeals (requests) to send")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument("--rate", type=float, default=0.0, help="requests/s; 0 = closed loop")
    parser.add_argument("--mode", choices=[*sorted(TARGETS), "batch"], default="vk")
    parser.add_argument(
        "--batch-size", type=int, default=100, help="appeals per request in batch mode (max 1000)"
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for everything")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--ingest-url", default=os.environ.get("INGEST_URL", "http://127.0.0.1:8001")
    )
    args = parser.parse_args()
    if args.n < 1 or args.connections < 1 or args.rate < 0:
        parser.error("need n >= 1, connections >= 1 and rate >= 0")
    if not 1 <= args.batch_size <= 1000:
        parser.error("need 1 <= batch-size <= 1000")
    return args


def main() -> int:
    args = parse_args()
    try:
        seconds, tally = uvloop.run(run(args))  # the lighter loop leaves ingest more CPU
    except (ConnectionError, OSError) as exc:
        sys.stderr.write(f"load_ingest: {exc}\n")
        return 2
    except TimeoutError:
        sys.stderr.write(f"load_ingest: not everything was answered within {args.timeout:g} s\n")
        return 1
    figures = report(args, seconds, tally)
    if args.json:
        print(json.dumps(figures))
    return 0 if figures["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
