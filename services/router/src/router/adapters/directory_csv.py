"""The directory's CSV import: one body a row, for the bodies a spreadsheet keeps best (a
city's schools, a company's houses). A CSV adds bodies and replaces those with the same id; the
region, the triage body and `reach` stay in the YAML document.

Columns (a header row; only id, name and kind are required, any order; a cell left empty is
null or empty, as in the YAML):
  id, name, kind, parent, overseen_by, number, address, timezone, active_from, active_to
                 as in config/directory.yaml
  territory, competences, aliases
                 ";"-separated lists
  hours          ";"-separated "<days> <ranges>": "mon-fri 08:30-12:30,13:15-17:30; sat 10:00-14:00"
  serves         "|"-separated "<oktmo>,<street>,<houses>": "24701000,улица Садовая,1-60"
  pages          "|"-separated "<id>,<platform>,<external_id>"
  head_name, head_position, head_email, head_telegram_chat_id
                 the head, when head_name is given
"""

import csv
import io
from typing import Any

from router.adapters.directory_file import DirectoryImportError

_SCALARS = (
    *("id", "name", "kind", "parent", "overseen_by", "number", "address", "timezone"),
    *("active_from", "active_to"),
)
_LISTS = ("territory", "competences", "aliases")
_HEAD = ("head_name", "head_position", "head_email", "head_telegram_chat_id")
COLUMNS = frozenset({*_SCALARS, *_LISTS, *_HEAD, "hours", "serves", "pages"})


def read_bodies(text: str, source: str = "csv") -> list[tuple[dict[str, Any], int | None]]:
    """The rows as bodies in the YAML's shape, each with its line; a malformed one is refused
    with its line. Each body is checked as the YAML's are (BodyRecord) by the caller."""
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\x00extra")
    header = reader.fieldnames or []
    unknown = [str(i) for i, name in enumerate(header, 1) if name not in COLUMNS]
    missing = {"id", "name", "kind"} - set(header)
    if unknown or missing:
        problem = (
            f"columns {', '.join(unknown)} are not the format's (docs/directory.md)"
            if unknown
            else f"missing columns {sorted(missing)}"
        )
        raise DirectoryImportError(1, problem, source)
    bodies: list[tuple[dict[str, Any], int | None]] = []
    try:
        for row in reader:
            line = reader.line_num
            if "\x00extra" in row:
                raise DirectoryImportError(line, "more cells than columns", source)
            bodies.append((_body(row, line, source), line))
    except csv.Error as exc:
        raise DirectoryImportError(reader.line_num, "not CSV (a quote left open?)", source) from exc
    return bodies


def _body(row: dict[str, str | None], line: int, source: str) -> dict[str, Any]:
    cells = {k: (v or "").strip() for k, v in row.items()}
    body: dict[str, Any] = {k: cells[k] for k in _SCALARS if cells.get(k)}
    body |= {k: _split(cells[k], ";") for k in _LISTS if cells.get(k)}
    if cells.get("hours"):
        body["hours"] = dict(_hours(part, line, source) for part in _split(cells["hours"], ";"))
    for column, fields in (("serves", ("oktmo", "street", "houses")),
                           ("pages", ("id", "platform", "external_id"))):  # fmt: skip
        if cells.get(column):
            body[column] = [_entry(e, fields, column, line, source) for e in
                            _split(cells[column], "|")]  # fmt: skip
    if cells.get("head_name"):
        body["head"] = {k.removeprefix("head_"): cells[k] for k in _HEAD if cells.get(k)}
    return body


def _split(cell: str, by: str) -> list[str]:
    return [part.strip() for part in cell.split(by) if part.strip()]


def _hours(part: str, line: int, source: str) -> tuple[str, str]:
    days, _, ranges = part.partition(" ")
    if not ranges.strip():
        raise DirectoryImportError(line, "hours: each part is '<days> <ranges>'", source)
    return days, ranges.strip()


def _entry(
    entry: str, fields: tuple[str, ...], column: str, line: int, source: str
) -> dict[str, str]:
    values = [v.strip() for v in entry.split(",")]
    required = 2 if column == "serves" else 3  # a company may serve a whole street
    if not required <= len(values) <= len(fields) or not all(values[:required]):
        wanted = ",".join(f"<{f}>" for f in fields)
        raise DirectoryImportError(line, f"{column}: each entry is {wanted}", source)
    return {f: v for f, v in zip(fields, values, strict=False) if v}
