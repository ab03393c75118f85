"""The most recently routed appeals as routing reads them: what a proposed rule set is tried
on before it is published (the rules' dry run)."""

import json
import uuid

from pydantic import ValidationError
from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncSession

from appeals_common.events import Classification
from router.adapters.orm import assignments
from router.domain.directory import Directory
from router.domain.routing import Appeal

_COLUMNS = (
    *("appeal_id", "text", "page_id", "body_id", "classification", "topic", "topic_name"),
    *("urgent", "confidence", "classification_reason", "places", "candidates"),
)


async def recent(
    session: AsyncSession, directory: Directory, limit: int
) -> list[tuple[uuid.UUID, Appeal]]:
    """Up to `limit` appeals, the latest routed first, with the classification each was
    routed by (rebuilt from the card's columns for appeals routed before it was kept)."""
    rows = await session.execute(
        select(*(assignments.c[name] for name in _COLUMNS))
        .order_by(assignments.c.routed_at.desc())
        .limit(limit)
    )
    found = []
    for row in rows.mappings():
        owner = directory.page_owner(row["page_id"]) or directory.get(row["body_id"] or "")
        appeal = Appeal(_classification(row), row["text"], owner, row["page_id"])
        found.append((row["appeal_id"], appeal))
    return found


def _classification(values: RowMapping) -> Classification:
    if values["classification"]:
        try:
            return Classification.model_validate_json(str(values["classification"]))
        except ValidationError:
            pass  # a classification of an older shape: what the card kept of it
    return Classification(
        is_appeal=True,
        topic=values["topic"],
        topic_name=values["topic_name"],
        body_type="",
        urgent=values["urgent"],
        confidence=values["confidence"],
        reason=values["classification_reason"] or "",
        model_version="unknown",
        places=json.loads(values["places"] or "[]"),
        candidates=json.loads(values["candidates"] or "[]"),
    )
