"""The directory as a stored document: imports merged into it, edits of one body, and what a
new version changes. The stored form is the YAML import format (config/directory.yaml), so
any version can be read, diffed and imported again as it was."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from router.adapters.directory_file import DirectoryImportError, read_document
from router.domain.directory import Directory


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def ids(self) -> list[str]:
        return sorted({*self.added, *self.changed, *self.removed})


def changes(old: Directory, new: Directory) -> Changes:
    """The bodies a new version adds, changes and drops (by id)."""
    before = {b.id: b for b in old.bodies}
    after = {b.id: b for b in new.bodies}
    return Changes(
        added=tuple(i for i in after if i not in before),
        changed=tuple(i for i, b in after.items() if i in before and before[i] != b),
        removed=tuple(i for i in before if i not in after),
    )


def load(text: str) -> dict[str, Any]:
    """A stored version's data (it was checked when it was stored)."""
    data = yaml.safe_load(text)
    assert isinstance(data, dict), "stored directory versions are mappings"
    return data


def dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False, width=100)


def yaml_bodies(text: str, source: str) -> list[tuple[dict[str, Any], int | None]]:
    """The bodies of a YAML document that carries `bodies` only, each with its line."""
    data, lines = read_document(text, source)
    if set(data) != {"bodies"}:
        message = "an upsert takes a mapping with `bodies` only; a whole directory is a replace"
        raise DirectoryImportError(1, message, source)
    items = data["bodies"]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DirectoryImportError(1, "bodies: expected a list of mappings", source)
    return list(zip(items, lines, strict=True))


def upsert(
    current: Mapping[str, Any], items: list[tuple[dict[str, Any], int | None]], source: str
) -> tuple[dict[str, Any], list[int | None]]:
    """The current data with each imported body added or replacing the body of its id, and
    each body's import line (None for the bodies the import left as they were)."""
    bodies: list[Any] = list(current.get("bodies") or [])
    lines: list[int | None] = [None] * len(bodies)
    at = {b.get("id"): i for i, b in enumerate(bodies) if isinstance(b, dict)}
    imported: dict[str, int | None] = {}
    for body, line in items:
        key = body.get("id")
        if not isinstance(key, str):
            raise DirectoryImportError(line, "id: every body needs a text id", source)
        if key in imported:
            raise DirectoryImportError(line, f"{key}: twice in the import (first on line "
                                             f"{imported[key]})", source)  # fmt: skip
        imported[key] = line
        if key in at:
            bodies[at[key]], lines[at[key]] = body, line
        else:
            at[key] = len(bodies)
            bodies.append(body)
            lines.append(line)
    return {**current, "bodies": bodies}, lines
