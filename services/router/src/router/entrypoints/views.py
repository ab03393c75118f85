"""Rows as the API shows them: the effective status, the live holder, the agency's name."""

import json
from datetime import datetime
from typing import Any

from router.domain.directory import Body, Directory
from router.entrypoints.schemas import AgencyRead, AppealRead, HolderRead
from router.outcomes import appeal_state

_DERIVED = {"status", "places", "candidates", "explanation"}


def agency_read(agency: Body) -> AgencyRead:
    return AgencyRead(
        id=agency.id,
        name=agency.name,
        body_type=agency.body_type,
        kind=agency.kind.value,
        territory=list(agency.territory),
        topics=list(agency.competences),
        parent=agency.parent,
    )


def appeal_read(row: dict[str, Any], directory: Directory, now: datetime) -> AppealRead:
    state = appeal_state(row, now)
    agency = directory.get(row["agency_id"])
    holder = state.holder
    fields = {k: row[k] for k in AppealRead.model_fields if k in row and k not in _DERIVED}
    return AppealRead(
        **fields,
        agency_name=agency.name if agency is not None else row["agency_id"],
        places=json.loads(row["places"]) if row.get("places") else [],
        candidates=json.loads(row["candidates"]) if row.get("candidates") else [],
        explanation=json.loads(row["explanation"]) if row.get("explanation") else None,
        status=state.status,
        holder=HolderRead(subject=holder.subject, name=holder.name, until=holder.until)
        if holder
        else None,
    )


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version from `If-Match: "7"` (weak or strong); None when absent or not ours."""
    if header is None:
        return None
    return version_number(header.strip().removeprefix("W/").strip('"'))


def version_number(text: str) -> int:
    """A version as a client sent it back; -1 (matches none) for anything but ASCII digits
    (str.isdigit also takes "²", which int() refuses)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1
