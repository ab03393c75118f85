"""The throughput benchmark: what the parts allow, each consumer draining a backlog alone,
the whole pipeline at a sustained rate and at a fixed rate for latency, and ingest beside a
bare endpoint; every figure from one run on this machine.

    python -m tools.throughput [--quick] [--save results.json] [--docs docs/benchmarks.md]
                               [--before before.json] [--tree PATH]
    python -m tools.throughput --from results.json --docs docs/benchmarks.md [--before …]

It starts the dev profile's Kafka and PostgreSQL if they are down and makes a database of its
own (`appeals_bench`, made anew each run); the services run as processes of their own, in
consumer groups of their own, on ports 18201-18209. `--tree` runs the services of another
checkout (its .venv) to measure older code the same way; `--before` puts such a run's saved
figures beside this one's in the docs; `--from` writes the docs from saved figures without
measuring again.
"""

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.throughput import baselines, compare, endtoend, report
from tools.throughput.drain import drain
from tools.throughput.infra import Services, fresh_database


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    scale = 0.2 if args.quick else 1.0
    seconds = 15 if args.quick else args.seconds
    await fresh_database()
    figures: dict[str, Any] = {"machine": report.machine(args.tree)}
    print("baselines…", flush=True)
    figures["kafka_hop"] = await baselines.kafka_hop(int(100_000 * scale))
    figures["executemany"] = await baselines.executemany(int(100_000 * scale))
    figures["classifier_in_process"] = baselines.classifier_in_process(int(5_000 * scale))

    def services() -> Services:
        if args.tree is None:
            return Services()
        return Services(python=str(args.tree / ".venv" / "bin" / "python"), cwd=args.tree)

    counts = {"classifier": 20_000, "router": 50_000, "sla-monitor": 50_000}
    for service, n in counts.items():
        print(f"{service} draining {int(n * scale)}…", flush=True)
        figures[f"drain_{service}"] = await drain(service, int(n * scale), services())

    pipeline = services()
    await pipeline.start("ingest", "classifier", "router", "sla-monitor")
    try:
        print(f"end to end, batches, {args.rate}/s for {seconds} s…", flush=True)
        figures["sustained_batch"] = await endtoend.sustained(
            pipeline, args.rate, seconds, batch=100
        )
        print(f"end to end, single webhooks, {args.single_rate}/s…", flush=True)
        figures["sustained_single"] = await endtoend.sustained(
            pipeline, args.single_rate, seconds, batch=1
        )
        print(f"latency at {args.latency_rate}/s…", flush=True)
        figures["latency"] = await endtoend.latency(args.latency_rate, seconds)
    finally:
        pipeline.stop()
    print("ingest beside a bare endpoint…", flush=True)
    figures["ingest_vs_bare"] = await compare.ingest_vs_bare(
        services(), int(20_000 * scale), rounds=2
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fifth of the work, 15 s loads")
    parser.add_argument("--rate", type=float, default=2000.0, help="offered through batches")
    parser.add_argument("--single-rate", type=float, default=600.0, help="offered one by one")
    parser.add_argument("--latency-rate", type=float, default=500.0)
    parser.add_argument("--seconds", type=float, default=60.0, help="each end-to-end load")
    parser.add_argument("--tree", type=Path, help="another checkout whose services to run")
    parser.add_argument("--save", type=Path, help="write the figures as JSON here")
    parser.add_argument("--docs", type=Path, help="write the report (markdown) here")
    parser.add_argument("--before", type=Path, help="saved figures of an earlier run")
    parser.add_argument("--from", dest="saved", type=Path, help="report these, do not measure")
    args = parser.parse_args()
    if args.saved:
        figures = json.loads(args.saved.read_text())
    else:
        figures = asyncio.run(bench(args))
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.save:
        args.save.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    if args.docs:
        before = json.loads(args.before.read_text()) if args.before else None
        args.docs.write_text(report.markdown(figures, before), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
