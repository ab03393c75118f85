"""SQL of the routing hot path: a batch of appeals in a few statements, whatever its size.

Each statement takes its rows as arrays (`unnest`), so a batch costs a round trip per
statement, not per appeal, and the text is the same every time (prepared once).
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The columns an assignment is routed with, and their types for unnest.
ROUTED_COLUMNS = {
    "appeal_id": "uuid", "agency_id": "text", "topic": "text", "topic_name": "text",
    "urgent": "boolean", "confidence": "float8", "reason": "text", "platform": "text",
    "kind": "text", "page_id": "text", "author_platform_id": "text", "external_id": "text",
    "text": "text", "revision": "bigint", "edited_at": "timestamptz", "permalink": "text",
    "written_at": "timestamptz", "routed_at": "timestamptz", "correlation_id": "text",
    "body_id": "text", "classification_reason": "text", "places": "text",
    "candidates": "text", "explanation": "text", "directory_version": "text",
    "classification": "text",
}  # fmt: skip


def _arrays(columns: Mapping[str, str]) -> str:
    return ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in columns.items())


# What the platform said before the routing is applied here: a deletion (the appeal is
# recorded as withdrawn, unless a newer revision restored it) and an answer given there.
_ADD_ASSIGNMENTS = text(
    f"""
    INSERT INTO router.assignments ({", ".join(ROUTED_COLUMNS)}, withdrawn_at, answered_at)
    SELECT u.*,
        (SELECT CASE WHEN u.edited_at IS NOT NULL AND w.withdrawn_at < u.edited_at THEN NULL
                     ELSE w.withdrawn_at END
         FROM router.withdrawals AS w WHERE w.appeal_id = u.appeal_id),
        (SELECT min(r.created_at) FROM router.responses AS r WHERE r.appeal_id = u.appeal_id)
    FROM unnest({_arrays(ROUTED_COLUMNS)}) AS u({", ".join(ROUTED_COLUMNS)})
    ON CONFLICT (appeal_id) DO NOTHING
    RETURNING appeal_id
    """
)


async def add_assignments(
    session: AsyncSession, rows: Sequence[Mapping[str, Any]]
) -> set[uuid.UUID]:
    """Insert the assignments (one per appeal); the appeals this call inserted (the others
    were routed before: a redelivery, or an edit of the text)."""
    if not rows:
        return set()
    columns = {name: [row[name] for row in rows] for name in ROUTED_COLUMNS}
    return set((await session.scalars(_ADD_ASSIGNMENTS, columns)).all())


_KEEP_REVISIONS = text(
    """
    INSERT INTO router.text_revisions (appeal_id, revision, text, edited_at)
    SELECT * FROM unnest(CAST(:appeal_id AS uuid[]), CAST(:revision AS bigint[]),
        CAST(:text AS text[]), CAST(:edited_at AS timestamptz[]))
    ON CONFLICT (appeal_id, revision) DO NOTHING
    """
)

Revision = tuple[uuid.UUID, int, str, datetime | None]  # appeal, revision, text, edited at


async def keep_revisions(session: AsyncSession, revisions: Sequence[Revision]) -> None:
    """Remember each revision of the appeals' texts (once: a redelivery changes nothing)."""
    if revisions:
        appeal_id, revision, text_, edited_at = (list(c) for c in zip(*revisions, strict=True))
        await session.execute(
            _KEEP_REVISIONS,
            {"appeal_id": appeal_id, "revision": revision, "text": text_, "edited_at": edited_at},
        )


# A clock's deadline is set when it starts and never moves (a reassignment keeps it).
_SET_DEADLINES = text(
    """
    UPDATE router.assignments AS a SET due_at = u.due_at
    FROM unnest(CAST(:appeal_id AS uuid[]), CAST(:due_at AS timestamptz[])) AS u(appeal_id, due_at)
    WHERE a.appeal_id = u.appeal_id AND a.due_at IS NULL
    """
)


async def set_deadlines(session: AsyncSession, deadlines: Mapping[uuid.UUID, datetime]) -> None:
    """The SLA monitor's deadlines for the appeals, each once."""
    if deadlines:
        await session.execute(
            _SET_DEADLINES, {"appeal_id": list(deadlines), "due_at": list(deadlines.values())}
        )
