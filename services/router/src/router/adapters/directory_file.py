"""The directory's import format: YAML (config/directory.yaml documents every field).

Everything is checked before anything is used: a broken body, an unknown kind or topic, a
parent or overseer that is not there, a cycle of parents, two municipalities claiming one OKTMO
code or a page claimed twice is refused with the line it is on, and nothing is half-imported.
"""

import functools
import hashlib
import zoneinfo
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from appeals_common.events import Platform
from appeals_common.text import StorableText
from router.adapters.import_fields import Competences, NotYaml, OktmoCodes, read_yaml
from router.domain.directory import (
    Body,
    BodyKind,
    Directory,
    Head,
    PageRef,
    Reach,
    Region,
    ServedHouses,
)
from router.domain.gazetteer import HouseSet


class DirectoryImportError(ValueError):
    """An import refused, with the line (1-based) that is wrong; None where no line says it
    (one body edited through the API, or a body an import left as it was)."""

    def __init__(self, line: int | None, message: str, source: str = "directory") -> None:
        super().__init__(f"{source}:{line}: {message}" if line else f"{source}: {message}")
        self.line, self.message, self.source = line, message, source


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_ID = r"^[a-z0-9][a-z0-9-]{0,79}$"
_DAYS = r"^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$"
_RANGE = r"([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]"
Text = Annotated[StorableText, Field(min_length=1, max_length=300)]
BodyId = Annotated[str, Field(pattern=_ID)]


class _Served(_Record):
    oktmo: Annotated[str, Field(pattern=r"^[0-9]{8}([0-9]{3})?$")]
    street: Text
    houses: Text | None = None


class _Page(_Record):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]
    platform: Platform
    external_id: Text


class _Head(_Record):
    name: Text
    position: Text
    email: Text | None = None
    telegram_chat_id: Text | None = None


def _zone(name: str | None) -> str | None:
    if name is not None and name not in _zones():
        raise ValueError("not an IANA time zone, such as Europe/Moscow or Asia/Novosibirsk")
    return name


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class BodyRecord(_Record):
    """One body as the import formats and the admin API write it."""

    id: BodyId
    name: Text
    kind: BodyKind
    parent: BodyId | None = None
    territory: OktmoCodes = []
    timezone: Annotated[str | None, AfterValidator(_zone)] = None
    hours: (
        dict[
            Annotated[str, Field(pattern=_DAYS)],
            Annotated[str, Field(pattern=f"^{_RANGE}(,{_RANGE})*$")],
        ]
        | None
    ) = None
    competences: Competences = []
    overseen_by: BodyId | None = None
    number: int | None = Field(default=None, ge=0, le=100_000)
    address: Text | None = None
    serves: list[_Served] = []
    pages: list[_Page] = []
    head: _Head | None = None
    active_from: date | None = None
    active_to: date | None = None
    # Three letters at least: a shorter alias would name a body in any text.
    aliases: list[Annotated[StorableText, Field(min_length=3, max_length=300)]] = []


def load_directory(path: Path, *, today: date | None = None) -> Directory:
    """Read and check the directory file; DirectoryImportError names the line that is wrong."""
    return parse_directory(path.read_text(encoding="utf-8"), source=str(path), today=today)


def parse_directory(
    text: str, *, source: str = "directory", today: date | None = None, version: str | None = None
) -> Directory:
    """Parse and check a directory document (see load_directory); `version` names it (the
    stored version), else the content's hash does."""
    data, lines = read_document(text, source)
    version = version or f"file-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return directory_from_data(data, lines, source=source, today=today, version=version)


def read_document(text: str, source: str) -> tuple[dict[str, Any], list[int | None]]:
    """A YAML document's data and the line each of its `bodies` starts on (not yet checked)."""
    try:
        root, data = read_yaml(text)
    except NotYaml as exc:
        raise DirectoryImportError(exc.line, str(exc), source) from None
    if not isinstance(data, dict) or root is None:
        raise DirectoryImportError(1, "expected a mapping with region, triage_body, bodies", source)
    lines = body_lines(root)
    items = data.get("bodies")
    count = len(items) if isinstance(items, list) else 0
    return data, [lines.get(i, 1) for i in range(count)]


def directory_from_data(
    data: Mapping[str, Any],
    lines: Sequence[int | None],
    *,
    source: str,
    version: str,
    today: date | None = None,
) -> Directory:
    """Check a parsed directory document; `lines` gives each body's line (see the error)."""
    items = data.get("bodies") or []
    if not isinstance(items, list):
        raise DirectoryImportError(1, "bodies: expected a list", source)
    bodies = [_body(item, line, source) for item, line in zip(items, lines, strict=True)]
    directory = Directory(
        region=_region(data.get("region"), source),
        triage_agency_id=str(data.get("triage_body", "")),
        bodies=tuple(bodies),
        reach=_reach(data.get("reach") or {}, source),
        version=version,
        today=today or date.today(),
    )
    _check(directory, lines, source)
    return directory


def _body(item: Any, line: int | None, source: str) -> Body:
    try:
        record = BodyRecord.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise DirectoryImportError(line, f"{where}: {first['msg']}", source) from exc
    try:
        serves = tuple(
            ServedHouses(s.oktmo, s.street, HouseSet.parse(s.houses) if s.houses else None)
            for s in record.serves
        )
    except ValueError as exc:
        raise DirectoryImportError(line, f"{record.id}: serves: {exc}", source) from None
    return Body(
        **record.model_dump(include={"id", "name", "kind", "parent", "timezone", "hours",
                                     "overseen_by", "number", "address", "active_from",
                                     "active_to"}),
        territory=tuple(record.territory),
        competences=tuple(record.competences),
        aliases=tuple(record.aliases),
        serves=serves,
        pages=tuple(PageRef(p.id, p.platform.value, p.external_id) for p in record.pages),
        head=Head(**record.head.model_dump()) if record.head else None,
    )  # fmt: skip


def _check(directory: Directory, lines: Sequence[int | None], source: str) -> None:
    """Cross-body rules; the first broken one is reported with its body's line."""
    seen: dict[str, int | None] = {}
    claimed: dict[str, str] = {}  # municipal OKTMO codes and page ids -> the body claiming them
    for body, line in zip(directory.bodies, lines, strict=True):
        problem = _problem(directory, body, line, seen, claimed)
        if problem:
            raise DirectoryImportError(line, f"{body.id}: {problem}", source)
    if directory.get(directory.triage_agency_id) is None:
        message = f"triage_body {directory.triage_agency_id!r} is not a body"
        raise DirectoryImportError(1, message, source)


def _problem(
    directory: Directory,
    body: Body,
    line: int | None,
    seen: dict[str, int | None],
    claimed: dict[str, str],
) -> str | None:
    if body.id in seen:
        first = seen[body.id]
        return f"duplicate id (first on line {first})" if first else "duplicate id"
    seen[body.id] = line
    for name, target in (("parent", body.parent), ("overseen_by", body.overseen_by)):
        if target is not None and directory.get(target) is None:
            return f"{name} {target!r} is not in the directory"
    if _in_a_cycle(directory, body):
        return "its parents form a cycle"
    municipal = body.kind is BodyKind.MUNICIPALITY and body.active_to is None
    keys = [f"oktmo {c}" for c in body.territory if municipal] + [
        f"page {p.id}" for p in body.pages
    ]
    for key in keys:
        if key in claimed:
            return f"{key} belongs to {claimed[key]} already"
        claimed[key] = body.id
    return None


def _in_a_cycle(directory: Directory, body: Body) -> bool:
    seen, current = {body.id}, body.parent
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        parent = directory.get(current)
        current = parent.parent if parent else None
    return False


def _region(item: Any, source: str) -> Region:
    if not isinstance(item, Mapping) or not {"name", "oktmo", "timezone"} <= set(item):
        raise DirectoryImportError(1, "region: needs name, oktmo and timezone", source)
    return Region(str(item["name"]), str(item["oktmo"]), str(item["timezone"]))


def _reach(item: Mapping[str, Any], source: str) -> dict[str, Reach]:
    try:
        return {BodyKind(kind).value: Reach(how) for kind, how in item.items()}
    except ValueError as exc:
        raise DirectoryImportError(1, f"reach: {exc}", source) from exc


def body_lines(root: yaml.Node) -> dict[int, int]:
    """The line each body starts on, by its position in `bodies`."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if key.value == "bodies" and isinstance(value, yaml.SequenceNode):
            return {i: node.start_mark.line + 1 for i, node in enumerate(value.value)}
    return {}
