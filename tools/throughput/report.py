"""The benchmark's figures as docs/benchmarks.md: what was measured, how, and the ratios the
issue asks for, side by side with an earlier run's when one is given."""

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.throughput.infra import ROOT

SERVICES = ("ingest", "classifier", "router", "sla-monitor", "kafka", "postgres")


def machine(tree: Path | None) -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), "unknown",
    )  # fmt: skip
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=tree or ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": cpu, "commit": commit,
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}  # fmt: skip


def _ratio(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %"


def headline(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key, figure, value, against what) rows of the issue's targets; the key finds the
    same figure in an earlier run's `headline_before`."""
    hop, many = f["kafka_hop"]["per_second"], f["executemany"]["per_second"]
    batch, single, lat = f["sustained_batch"], f["sustained_single"], f["latency"]
    cls = f["drain_classifier"]["per_second"]
    bare = f["ingest_vs_bare"]
    return [
        ("batch", "end to end, batch API, offered " + f"{batch['offered_per_second']:.0f}/s",
         f"{batch['routed_per_second']:,} routed/s (by 10 s window: "
         f"{', '.join(map(str, batch['routed_per_second_by_window']))})",
         f"{_ratio(batch['routed_per_second'], hop)} of the bare hop ({hop:,.0f}/s)"),
        ("single", f"end to end, single webhooks, offered {single['offered_per_second']:.0f}/s",
         f"{single['routed_per_second']:,} routed/s", f"tail {single['tail_seconds']} s"),
        ("latency", f"ingest → routed at {lat['offered_per_second']:.0f}/s, p50 / p99",
         f"{lat.get('p50_ms')} / {lat.get('p99_ms')} ms",
         f"{lat['routed']:,} routed, {lat['not_routed']} not; "
         f"ingest p99 {lat['ingest_p99_ms']} ms"),
        ("router", "router draining", f"{f['drain_router']['per_second']:,}/s",
         f"{_ratio(f['drain_router']['per_second'], many)} of executemany ({many:,.0f} rows/s)"),
        ("sla", "SLA monitor draining", f"{f['drain_sla-monitor']['per_second']:,}/s",
         f"{_ratio(f['drain_sla-monitor']['per_second'], many)} of executemany"),
        ("classifier", "classifier draining", f"{cls:,}/s",
         f"{_ratio(cls, f['classifier_in_process']['per_second'])} of in-process "
         f"({f['classifier_in_process']['per_second']:,.0f}/s)"),
        ("ingest", "ingest beside a bare FastAPI + Kafka endpoint",
         " / ".join(f"{r:.0%}" for r in bare["ratio"]),
         f"ingest {bare['ingest_per_second']}/s, bare {bare['bare_per_second']}/s"),
    ]  # fmt: skip


def cpu_rows(f: dict[str, Any], before: dict[str, Any] | None) -> list[str]:
    after = f["sustained_batch"]["cpu_ms_per_appeal"]
    was = before["sustained_batch"]["cpu_ms_per_appeal"] if before else {}
    rows = []
    for name in SERVICES:
        then = f"{was[name]:.2f}" if name in was else "—"
        rows.append(f"| {name} | {then} | {after.get(name, 0):.2f} |")
    then_total = f"{sum(was.values()):.2f}" if was else "—"
    rows.append(f"| **all** | {then_total} | {sum(after.values()):.2f} |")
    return rows


def markdown(f: dict[str, Any], before: dict[str, Any] | None) -> str:
    m = f["machine"]
    label = before["machine"]["commit"] if before else "—"
    was: dict[str, str] = before.get("headline_before", {}) if before else {}
    lines = [
        "# Throughput benchmark",
        "",
        "Made by `python -m tools.throughput --docs docs/benchmarks.md` (see its docstring); "
        f"measured {m['date']} on {m['cpus']} CPUs ({m['cpu']}), commit {m['commit']}, with "
        "Kafka, PostgreSQL, the services and the load generator all on this machine.",
        "",
        f"| figure | before ({label}) | value | against |",
        "|---|---|---|---|",
        *(
            f"| {name} | {was.get(key, '—')} | {value} | {against} |"
            for key, name, value, against in headline(f)
        ),
        "",
        "## CPU per routed appeal (ms), batch API, whole pipeline",
        "",
        f"| process | before ({label}) | after |",
        "|---|---|---|",
        *cpu_rows(f, before),
        "",
        "## Each consumer draining a backlog alone",
        "",
        "| service | events | events/s | service CPU ms/event | PostgreSQL | Kafka |",
        "|---|---|---|---|---|---|",
    ]
    for service in ("classifier", "router", "sla-monitor"):
        d = f[f"drain_{service}"]
        cpu = [d.get(f"cpu_ms_per_event_{k}", 0.0) for k in (service, "postgres", "kafka")]
        cells = [service, f"{d['events']:,}", f"{d['per_second']:,}", *(f"{c:.3f}" for c in cpu)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines + _hops(f["latency"])) + "\n"


def _hops(latency: dict[str, Any]) -> list[str]:
    """The fixed-rate wait split by hop (older runs did not measure it)."""
    hops = latency.get("hops_p50_p99_ms")
    if not hops:
        return []
    rate = f"{latency['offered_per_second']:.0f}/s"
    return [
        "",
        f"## Where an appeal waits at {rate}, by hop (ms)",
        "",
        "Each hop from when the appeal was seen on the topic before it (ingest: from when its",
        "request was due) to when it was seen on the hop's output topic, by the same observer.",
        "",
        "| hop | p50 | p99 |",
        "|---|---|---|",
        *(f"| {hop} | {p50} | {p99} |" for hop, (p50, p99) in hops.items()),
    ]
