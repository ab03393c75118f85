"""Labelled appeals on disk: JSONL files, one object per line (see docs/classifier.md).

`"urgent": null` (or absent) means unknown, as in operators' corrections: such a line teaches
the category and topic models but not the urgency model.
"""

import hashlib
import json
from pathlib import Path

from classifier.training import Example


def data_files(*directories: Path) -> list[Path]:
    """The JSONL files of the given directories, in a stable order; missing directories add none."""
    return sorted(p for d in directories if d.is_dir() for p in d.glob("*.jsonl"))


def read_examples(files: list[Path]) -> list[Example]:
    """Every labelled line of the files; a malformed line fails loudly with its place."""
    examples = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                examples.append(
                    Example(
                        text=str(item["text"]),
                        topic=str(item["topic"]),
                        category=str(item.get("category", "appeal")),
                        urgent=None if item.get("urgent") is None else bool(item["urgent"]),
                        style=None if item.get("style") is None else str(item["style"]),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: {exc}") from exc
    return examples


def fingerprint(files: list[Path]) -> str:
    """A hash of the files' names and contents: the data part of the model version."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(
            f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0"
        )
    return digest.hexdigest()
