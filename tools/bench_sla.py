"""How late SLA steps fire with a million open appeals while new ones arrive at 500/s.

`python tools/bench_sla.py [--appeals 1000000] [--rate 500] [--seconds 120]` starts the test
profile's Kafka and PostgreSQL if they are down (`stack.py infra-up --profile test`), makes a
database of its own on that server (`appeals_sla_bench`, dropped and made again each run) with
the SLA monitor's migrations, and seeds it with `--appeals` open clocks of six steps each
(warnings, breach, two escalations, resolution) due at random over `--spread` seconds that
begin `--lead` seconds after the start (time to seed and start). Then it starts one SLA
monitor process on it, as deployed (`SLA_SCAN_INTERVAL_SECONDS` as given, the shipped
policies), publishes `appeals.routed` events at `--rate` per second on
a fixed schedule (open loop) for `--seconds`, stops the monitor and reads from the database how
late every step due in the window fired: p50, p99 and max, and any step due that had not
fired. The figures are in docs/sla.md; the monitor also exports the lateness as the histogram
`sla_step_lateness_seconds`.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from appeals_common.events import AppealRouted, Platform, new_envelope
from appeals_common.testing import skip_history
from appeals_common.topics import APPEALS_ROUTED, TOPICS

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql://appeals@127.0.0.1:55433"
KAFKA = "127.0.0.1:29092"
DATABASE = "appeals_sla_bench"
PORT = 18144
STEPS = ("warning-50", "warning-80", "breach", "escalation-1", "escalation-2", "resolution")

_SEED = """
INSERT INTO sla.clocks (appeal_id, agency_id, urgent, written_at, routed_at, deadline,
    target_seconds, correlation_id, routing, policy_id, policy_version, clock_started_at,
    paused_seconds, extra_seconds)
SELECT gen_random_uuid(), 'bench-' || (i % 150), false, now(), now(),
    $2::timestamptz + make_interval(secs => random() * $3), 14400, 'bench-seed', 0,
    'standard', 1, now(), 0, 0
FROM generate_series(1, $1) AS i
"""
_SEED_STEPS = """
INSERT INTO sla.steps (appeal_id, step, target, share, recipient, due_at)
SELECT c.appeal_id, s.step, 'first_response', 1.0, 'head',
    $1::timestamptz + make_interval(secs => random() * $2)
FROM sla.clocks AS c CROSS JOIN unnest($3::text[]) AS s(step)
"""
_LATENESS = """
SELECT count(*) AS fired,
    percentile_disc(0.5) WITHIN GROUP (ORDER BY fired_at - due_at) AS p50,
    percentile_disc(0.99) WITHIN GROUP (ORDER BY fired_at - due_at) AS p99,
    max(fired_at - due_at) AS max
FROM sla.steps WHERE due_at BETWEEN $1 AND $2 AND fired_at IS NOT NULL
"""


async def prepare(appeals: int, first_due: datetime, spread: float) -> None:
    # The profile's cluster trusts its superuser on loopback (deploy/local/stacklib/postgres.py).
    admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:55433/postgres")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DATABASE} OWNER appeals")
    finally:
        await admin.close()
    env = {**os.environ, "DATABASE_URL": _url()}
    subprocess.run([sys.executable, "-m", "sla_monitor.migrate"], check=True, env=env, cwd=ROOT)
    db = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        started = time.perf_counter()
        await db.execute(_SEED, appeals, first_due, spread)
        await db.execute(_SEED_STEPS, first_due, spread, list(STEPS))
        await db.execute("INSERT INTO sla.backlog SELECT agency_id, count(*), 0 FROM sla.clocks "
                         "GROUP BY agency_id")  # fmt: skip
        await db.execute("VACUUM ANALYZE")
        took = time.perf_counter() - started
        print(f"seeded {appeals:,} clocks and {appeals * len(STEPS):,} steps in {took:.0f} s")
    finally:
        await db.close()


def start_monitor(suffix: str, scan: float) -> subprocess.Popen[bytes]:
    env = {
        **os.environ, "DATABASE_URL": _url(), "KAFKA_BOOTSTRAP_SERVERS": KAFKA,
        "KAFKA_GROUP_SUFFIX": suffix, "SLA_SCAN_INTERVAL_SECONDS": str(scan),
        "SLA_POLICIES_SOURCE": "file", "OIDC_ISSUER": "http://127.0.0.1:18005",
        "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    command = [sys.executable, "-m", "uvicorn", "sla_monitor.main:app", "--port", str(PORT),
               "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT)


async def wait_ready() -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"http://127.0.0.1:{PORT}/health/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the SLA monitor did not become ready")


async def arrivals(rate: float, seconds: float) -> int:
    """Routed appeals at `rate` per second on a fixed schedule, whatever the broker does."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, linger_ms=5)
    await producer.start()
    sent, start = 0, time.perf_counter()
    try:
        while (due := sent / rate) < seconds:
            await asyncio.sleep(max(0.0, start + due - time.perf_counter()))
            now = datetime.now(UTC)
            routed = AppealRouted(
                appeal_id=uuid.uuid4(), agency_id=f"bench-{sent % 150}", agency_name="bench",
                topic="roads.repair", urgent=False, platform=Platform.VK, page_id="bench",
                routed_at=now, written_at=now,
            )  # fmt: skip
            envelope = new_envelope(routed, source="bench", correlation_id="bench-arrival")
            await producer.send(APPEALS_ROUTED, envelope.encode(),
                                key=str(routed.appeal_id).encode())  # fmt: skip
            sent += 1
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def measure(since: datetime, until: datetime) -> dict[str, Any]:
    db = await asyncpg.connect(f"{SERVER}/{DATABASE}")
    try:
        row = await db.fetchrow(_LATENESS, since, until)
        assert row is not None, "an aggregate has a row"
        missed = await db.fetchval(
            "SELECT count(*) FROM sla.steps WHERE fired_at IS NULL AND due_at BETWEEN $1 AND $2",
            since, until,
        )  # fmt: skip
        arrived = await db.fetchval(
            "SELECT count(*) FROM sla.clocks WHERE correlation_id = 'bench-arrival'"
        )
        open_clocks = await db.fetchval("SELECT sum(open) FROM sla.backlog")
    finally:
        await db.close()
    seconds = {k: row[k].total_seconds() if row[k] is not None else None
               for k in ("p50", "p99", "max")}  # fmt: skip
    return {"fired": row["fired"], **seconds, "missed": missed, "arrived": arrived,
            "open_clocks_counted": open_clocks}  # fmt: skip


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    subprocess.run([sys.executable, str(ROOT / "deploy/local/stack.py"), "infra-up",
                    "--profile", "test"], check=True, cwd=ROOT)  # fmt: skip
    # The first steps come due `--lead` seconds from now, time enough to seed and start.
    first_due = datetime.now(UTC) + timedelta(seconds=args.lead)
    await prepare(args.appeals, first_due, args.spread)
    suffix = f"-bench-{uuid.uuid4().hex[:6]}"
    await skip_history(KAFKA, f"sla-monitor{suffix}", [t.name for t in TOPICS])
    monitor = start_monitor(suffix, args.scan)
    try:
        await wait_ready()
        idle = (first_due - datetime.now(UTC)).total_seconds()
        if idle < 0:
            raise RuntimeError(f"seeding outran --lead by {-idle:.0f} s: give a longer one")
        await asyncio.sleep(idle)
        since = datetime.now(UTC)
        sent = await arrivals(args.rate, args.seconds)
        until = datetime.now(UTC)
        await asyncio.sleep(args.scan + 3)  # the last due steps get their chance to fire
    finally:
        monitor.terminate()
        monitor.wait(timeout=30)
    return {"appeals": args.appeals, "rate": args.rate, "seconds": args.seconds,
            "scan_interval": args.scan, "sent": sent, **await measure(since, until)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=500.0, help="arrivals per second")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--scan", type=float, default=1.0, help="SLA_SCAN_INTERVAL_SECONDS")
    parser.add_argument("--lead", type=float, default=420.0, help="no step due sooner (s)")
    parser.add_argument("--spread", type=float, default=6 * 3600.0, help="due within (s)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(bench(args))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}  {value}")
    return 0


def _url() -> str:
    return f"postgresql+asyncpg://appeals@127.0.0.1:55433/{DATABASE}"


if __name__ == "__main__":
    sys.exit(main())
