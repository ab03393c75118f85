"""`python -m classifier.corrections`: store operators' corrections as training data.

    python -m classifier.corrections [--out FILE] [--timeout SECONDS]

Reads what the router published on `classification.corrections.v1` since the last run (the
consumer group `classifier-corrections` remembers), turns each topic correction into a
training line and merges it into FILE (default services/classifier/data/corrections/
operators.jsonl), one line per appeal, the latest correction winning. Review the diff and
commit it: the next `make train` (or `make install`) learns from it, under a new version.
"""

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any

from appeals_common.errors import PoisonEvent
from appeals_common.events import ClassificationCorrected, decode_event
from appeals_common.settings import KafkaSettings
from classifier.adapters.corrections_topic import CorrectionsReader
from classifier.domain.corrections import as_training_line, merge_lines
from classifier.train import CORRECTIONS_DIR

OUT = CORRECTIONS_DIR / "operators.jsonl"
log = logging.getLogger("classifier.corrections")


def main(argv: list[str] | None = None) -> int:
    """Export new corrections; exit 0 also when there were none."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    args = _parser().parse_args(argv)
    settings = KafkaSettings()
    group = f"classifier-corrections{settings.kafka_group_suffix}"
    added = asyncio.run(export(settings.kafka_bootstrap_servers, group, args.out, args.timeout))
    log.info("%d corrections added or updated in %s", added, args.out)
    return 0


async def export(bootstrap_servers: str, group_id: str, out: Path, timeout_s: float) -> int:
    """Merge the corrections published since the last export into `out`; commit after."""
    reader = CorrectionsReader(bootstrap_servers, group_id)
    await reader.start()
    try:
        records = await reader.read_available(timeout_s=timeout_s)
        lines = [line for r in records if (line := _line(r.value)) is not None]
        merged, changed = merge_lines(_read(out), lines)
        if changed:
            _write(out, merged)
        await reader.commit()  # only once the file holds them
        return changed
    finally:
        await reader.stop()


def _line(raw: bytes | None) -> dict[str, Any] | None:
    try:
        return as_training_line(decode_event(raw, ClassificationCorrected).payload)
    except PoisonEvent as exc:
        log.warning("skipped a record that is no correction: %s", exc)
        return None


def _read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _write(path: Path, lines: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    temporary.write_text(body, encoding="utf-8")
    temporary.replace(path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m classifier.corrections", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="the corrections file to update")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to read at most")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
