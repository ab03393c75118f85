"""Ingest beside a bare FastAPI endpoint that produces to Kafka (bare_ingest.py), both a
process per core, loaded in turn with the same single appeals, closed loop."""

import argparse
import subprocess
import sys

from tools import load_ingest
from tools.throughput.infra import KAFKA, PORTS, ROOT, Services, tree_cpu, wait_ready

BARE_PORT = 18209


async def accepted_per_second(url: str, n: int) -> float:
    load = argparse.Namespace(
        n=n, mode="single", batch_size=1, rate=0.0, connections=32, ingest_url=url, timeout=600
    )
    seconds, tally = await load_ingest.run(load)
    return (tally.statuses["202"] + tally.statuses["200"]) / seconds


async def ingest_vs_bare(services: Services, n: int, rounds: int) -> dict[str, object]:
    """Only ingest runs (nothing consumes what it accepts), then the bare endpoint."""
    bare = subprocess.Popen(
        [sys.executable, "-m", "appeals_common.serve", "tools.throughput.bare_ingest:app",
         "--host", "127.0.0.1", "--port", str(BARE_PORT), "--workers", "2"],
        cwd=ROOT, env={**services.env(), "KAFKA_BOOTSTRAP_SERVERS": KAFKA},
    )  # fmt: skip
    try:
        await services.start("ingest")
        await wait_ready(f"http://127.0.0.1:{BARE_PORT}/health/ready")
        ingest_url = f"http://127.0.0.1:{PORTS['ingest']}"
        ingest, plain, cpu = [], [], []
        for _ in range(rounds):
            before = tree_cpu(services.running["ingest"].pid)
            ingest.append(await accepted_per_second(ingest_url, n))
            cpu.append((tree_cpu(services.running["ingest"].pid) - before) * 1000 / n)
            plain.append(await accepted_per_second(f"http://127.0.0.1:{BARE_PORT}", n))
    finally:
        services.stop()
        bare.terminate()
        bare.wait(timeout=30)
    return {
        "requests": n,
        "ingest_per_second": [round(x) for x in ingest],
        "bare_per_second": [round(x) for x in plain],
        "ratio": [round(i / b, 2) for i, b in zip(ingest, plain, strict=True)],
        "ingest_cpu_ms_per_appeal": [round(c, 3) for c in cpu],
    }
