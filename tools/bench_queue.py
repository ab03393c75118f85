"""Queue benchmark: N operators claim and answer appeals at once against a running router.

    python tools/bench_queue.py --router-url http://127.0.0.1:18103 \\
        [--operators 20] [--appeals 1500] [--seconds 30] [--agency ivanovo-roads] [--json]

Setup, not timed: `--appeals` appeals are routed to `--agency` through the router's own
handler (`handle_appeal_classified`) into the database the router uses (`--database-url`), and
each operator, a distinct agency_staff subject of that agency, gets a token signed with the
dev IdP's key (`--idp-key-dir`, `--issuer`: what the router trusts).
Timed: each operator loops until `--seconds` pass or this run's appeals are all answered: it
lists the agency's unclaimed queue (20 a page), picks one of this run's appeals at random,
reads its card (ETag), claims it (If-Match) and answers it (If-Match: the claim's version, and
an Idempotency-Key). A lost race (409 held / 412 stale) sends it back to the queue.
Claims and answers are timed apart, per request, on the client; conflicts are counted.
Operators touch only this run's appeals, and any still open at the end are answered (not
timed), so the queue is left as it was found. Prints a table (or JSON); writes no files.
Exit code 0 when nothing failed (conflicts are not failures), 1 otherwise.
"""

import argparse
import asyncio
import json
import math
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as `python tools/bench_queue.py`: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appeals_common.db import Database, OutboxRelay
from appeals_common.events import (
    AppealClassified,
    AppealKind,
    AppealReceived,
    Author,
    Classification,
    Platform,
    new_envelope,
)
from appeals_common.kafka import KafkaPublisher
from appeals_common.settings import DatabaseSettings
from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.adapters.orm import outbox
from router.adapters.rules_file import load_rules
from router.domain.gazetteer import Gazetteer
from router.handlers import RouterDeps, handle_appeal_classified
from router.routing_setup import RoutingSetup
from tools.dev_idp.settings import IdpSettings
from tools.dev_idp.tokens import mint_access_token
from tools.dev_idp.users import Identity

ROOT = Path(__file__).resolve().parents[1]
TEST_DB = "postgresql+asyncpg://appeals@127.0.0.1:55433/appeals"
# A topic on the page of the body whose territory the agency serves, so routing lands there.
PLACES = {
    "ivanovo-roads": ("adm-ivanovo", "vk-adm-ivanovo", "roads.repair"),
    "ivanovo-education": ("adm-ivanovo", "vk-adm-ivanovo", "education.schools"),
    "ivanovo-zhkh": ("adm-ivanovo", "vk-adm-ivanovo", "housing.heating"),
}
KINDS = ("list", "card", "claim", "answer")


@dataclass
class Run:
    deadline: float
    open: set[uuid.UUID]  # this run's appeals not answered yet
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.statuses[kind][status] += 1
        if status in (200, 201):
            self.latencies[kind].append(seconds)


async def timed(run: Run, kind: str, request: Any) -> httpx.Response:
    started = time.perf_counter()
    response: httpx.Response = await request
    run.record(kind, response.status_code, time.perf_counter() - started)
    return response


async def seed(database_url: str, agency: str, count: int) -> list[uuid.UUID]:
    """Route `count` fresh appeals to `agency` through the router's handler; their ids."""
    body_id, page_id, topic = PLACES[agency]
    database = Database(DatabaseSettings.model_validate({"DATABASE_URL": database_url}))
    # Never started: the running router's relay publishes what the handler puts in the outbox.
    publisher = KafkaPublisher("127.0.0.1:1", client_id="bench-queue-seed")
    directory = load_directory(ROOT / "config" / "directory.yaml")
    gazetteer = Gazetteer.build(load_gazetteer_csv(ROOT / "config" / "gazetteer.csv"))
    relay = OutboxRelay(database.sessions, outbox, publisher)
    rules = load_rules(ROOT / "config" / "routing-rules.yaml", directory=directory)
    setup = RoutingSetup(gazetteer, directory, rules)
    deps = RouterDeps(database.sessions, setup, relay, min_confidence=0.5)
    ids = [uuid.uuid4() for _ in range(count)]
    now = datetime.now(UTC)

    async def route(appeal_id: uuid.UUID) -> None:
        appeal = AppealReceived(
            appeal_id=appeal_id,
            platform=Platform.VK,
            kind=AppealKind.COMMENT,
            page_id=page_id,
            body_id=body_id,
            external_id=f"bench-{appeal_id.hex}",
            author=Author(platform_id="bench", key="bench"),
            text="Нагрузочный тест очереди: обращение",
            written_at=now - timedelta(minutes=5),
            received_at=now,
        )
        classification = Classification(
            is_appeal=True,
            topic=topic,
            topic_name=topic,
            body_type="municipal_administration",
            confidence=0.9,
            reason="bench",
            model_version="bench",
        )
        envelope = new_envelope(
            AppealClassified(appeal=appeal, classification=classification),
            source="bench-queue",
            correlation_id=f"bench-{appeal_id}",
        )
        await handle_appeal_classified(envelope, deps)

    try:
        for start in range(0, count, 8):  # 8 at a time: within the engine's pool
            await asyncio.gather(*(route(i) for i in ids[start : start + 8]))
    finally:
        await publisher.stop()
        await database.dispose()
    return ids


def operators(args: argparse.Namespace) -> dict[str, str]:
    """A token per operator, by subject: distinct agency_staff of the agency, signed with the
    IdP's key as the IdP signs them."""
    settings = IdpSettings(issuer=args.issuer, key_dir=args.idp_key_dir)
    run = uuid.uuid4().hex[:6]
    people = [
        Identity(
            sub=f"bench-{run}-{i:02d}",
            username=f"bench-{run}-{i:02d}",
            name=f"Оператор {i:02d} ({run})",
            roles=("agency_staff",),
            agencies=(args.agency,),
        )
        for i in range(args.operators)
    ]
    now = int(time.time())
    return {
        p.sub: mint_access_token(settings, p, client_id="appeals-cli", now=now, ttl=3600)
        for p in people
    }


async def pick(client: httpx.AsyncClient, run: Run, agency: str, rng: random.Random) -> Any:
    """One of this run's appeals from the unclaimed queue (paging past others'), or None."""
    params: dict[str, str | int] = {"claimed": "unclaimed", "limit": 20}
    for _ in range(5):
        page = await timed(run, "list", client.get(f"/v1/queues/{agency}", params=params))
        if page.status_code != 200:
            return None
        body = page.json()
        ours = [i["appeal_id"] for i in body["items"] if uuid.UUID(i["appeal_id"]) in run.open]
        if ours or not body["next_cursor"]:
            return rng.choice(ours) if ours else None
        params["cursor"] = body["next_cursor"]
    return None


async def operator(client: httpx.AsyncClient, run: Run, agency: str, number: int) -> None:
    """List, pick, read, claim, answer; again until the deadline or nothing is left."""
    rng = random.Random(number)
    while run.open and time.monotonic() < run.deadline:
        appeal_id = await pick(client, run, agency, rng)
        if appeal_id is None:  # ours are all held by others just now
            await asyncio.sleep(0.02)
            continue
        card = await timed(run, "card", client.get(f"/v1/appeals/{appeal_id}"))
        if card.status_code != 200:
            continue
        url = f"/v1/appeals/{appeal_id}"
        claim = await timed(
            run, "claim", client.post(f"{url}/claim", headers={"If-Match": card.headers["ETag"]})
        )
        if claim.status_code != 200:
            continue  # lost the race: back to the queue
        headers = {"If-Match": claim.headers["ETag"], "Idempotency-Key": str(uuid.uuid4())}
        text = {"text": "Спасибо за обращение, заявка передана подрядчику."}
        answer = await timed(
            run, "answer", client.post(f"{url}/answer", json=text, headers=headers)
        )
        if answer.status_code == 201:
            run.open.discard(uuid.UUID(appeal_id))


async def close_leftovers(clients: dict[str, httpx.AsyncClient], run: Run) -> int:
    """Answer this run's appeals still open (as their holder, if any): the queue as found."""
    leftovers, anyone = sorted(run.open), next(iter(clients.values()))

    async def close(appeal_id: uuid.UUID) -> None:
        card = await anyone.get(f"/v1/appeals/{appeal_id}")
        holder = card.json()["appeal"]["holder"]
        client = clients.get(holder["subject"], anyone) if holder else anyone
        headers = {"If-Match": card.headers["ETag"], "Idempotency-Key": f"close-{appeal_id}"}
        await client.post(f"/v1/appeals/{appeal_id}/answer", json={"text": "—"}, headers=headers)

    for start in range(0, len(leftovers), 10):
        await asyncio.gather(*(close(i) for i in leftovers[start : start + 10]))
    return len(leftovers)


def percentile(values: list[float], p: float) -> float:
    """Nearest rank; NaN when there is nothing to rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)] if ordered else math.nan


def summary(run: Run, elapsed: float, args: argparse.Namespace, closed: int) -> dict[str, Any]:
    kinds = {}
    for kind in KINDS:
        statuses, ok = run.statuses[kind], run.latencies[kind]
        failed = {str(s): n for s, n in statuses.items() if s not in (200, 201, 409, 412)}
        kinds[kind] = {
            "requests": sum(statuses.values()),
            "ok": len(ok),
            "conflict_409": statuses[409],
            "stale_412": statuses[412],
            "failed": sum(failed.values()),
            "failed_by_status": failed,
            "p50_ms": round(percentile(ok, 0.50) * 1000, 1),
            "p99_ms": round(percentile(ok, 0.99) * 1000, 1),
            "ok_per_s": round(len(ok) / elapsed, 1),
        }
    return {
        "operators": args.operators,
        "agency": args.agency,
        "seeded": args.appeals,
        "seconds": round(elapsed, 2),
        "answered_in_run": kinds["answer"]["ok"],
        "closed_after": closed,
        "kinds": kinds,
    }


def print_table(result: dict[str, Any]) -> None:
    print(
        f"{result['operators']} operators on {result['agency']}, {result['seeded']} appeals, "
        f"{result['seconds']} s; answered {result['answered_in_run']}, "
        f"closed after the run {result['closed_after']}"
    )
    columns = ("requests", "ok", "conflict_409", "stale_412", "failed", "p50_ms", "p99_ms")
    print(f"{'':8}" + "".join(f"{c:>14}" for c in (*columns, "ok_per_s")))
    for kind, row in result["kinds"].items():
        print(f"{kind:8}" + "".join(f"{row[c]:>14}" for c in (*columns, "ok_per_s")))
    for kind, row in result["kinds"].items():
        if row["failed"]:
            print(f"{kind} failed, by status: {row['failed_by_status']}")


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    clients = {
        subject: httpx.AsyncClient(
            base_url=args.router_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        for subject, token in operators(args).items()
    }
    try:
        ids = await seed(args.database_url, args.agency, args.appeals)
        run = Run(deadline=time.monotonic() + args.seconds, open=set(ids))
        started = time.perf_counter()
        loops = (operator(c, run, args.agency, i) for i, c in enumerate(clients.values()))
        await asyncio.gather(*loops)
        elapsed = time.perf_counter() - started
        closed = await close_leftovers(clients, run)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients.values()))
    return summary(run, elapsed, args, closed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--router-url", default="http://127.0.0.1:18103")
    parser.add_argument("--operators", type=int, default=20)
    parser.add_argument("--appeals", type=int, default=1500, help="seeded before the run")
    parser.add_argument("--seconds", type=float, default=30, help="at most this long")
    parser.add_argument("--agency", default="ivanovo-roads", choices=sorted(PLACES))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", TEST_DB))
    parser.add_argument("--issuer", default=os.environ.get("OIDC_ISSUER", "http://127.0.0.1:18005"))
    parser.add_argument("--idp-key-dir", type=Path, default=ROOT / ".stack" / "test" / "idp")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    args = parser.parse_args()
    try:
        result = asyncio.run(bench(args))
    except (httpx.HTTPError, OSError) as error:
        print(f"bench_queue: {error!r}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)
    failed = sum(k["failed"] for k in result["kinds"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
