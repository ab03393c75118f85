"""The SLA monitor's tables, in its own schema `sla`. No other service reads them."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    Uuid,
    func,
)

from appeals_common.db import outbox_table

SCHEMA = "sla"
metadata = MetaData(schema=SCHEMA)

# One row per appeal; routed and answered events may arrive in either order, so every
# column but the key is nullable and filled by whichever event brings it.
clocks = Table(
    "clocks",
    metadata,
    Column("appeal_id", Uuid, primary_key=True),
    Column("agency_id", Text),
    Column("urgent", Boolean),
    Column("written_at", DateTime(timezone=True)),
    Column("routed_at", DateTime(timezone=True)),
    Column("deadline", DateTime(timezone=True)),
    Column("target_seconds", Integer),
    Column("answered_at", DateTime(timezone=True)),
    Column("breached_at", DateTime(timezone=True)),
    Column("correlation_id", Text),
    # Deleted on the platform: no answer is due any more, so it can no longer breach.
    Column("withdrawn_at", DateTime(timezone=True)),
    # The router's routing count of the agency above: a reassignment moves the clock along.
    Column("routing", Integer, nullable=False, server_default="0"),
    # When the latest of those later routings happened (a reassignment, or a restore on the
    # platform): a deletion older than it no longer withdraws the appeal.
    Column("rerouted_at", DateTime(timezone=True)),
    # Closed by an operator (merged into another appeal, or not an appeal): nothing is due.
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_reason", Text),
    # The policy it was given (and its version), and what its steps are computed from.
    Column("policy_id", Text),
    Column("policy_version", Integer),
    Column("clock_started_at", DateTime(timezone=True)),  # written_at, or a restart's move
    Column("paused_at", DateTime(timezone=True)),  # waiting for the resident since
    Column("paused_seconds", Float),  # counted time of the pauses that ended
    Column("extra_seconds", Float),  # reassignments' grace
    Column("resolved_at", DateTime(timezone=True)),  # the final answer
    Column("topic", Text),  # the reports group by it
    # The reports read a period's appeals by when they were written.
    Index("ix_clocks_written_at", "written_at"),
    # The breach scan: unanswered, unflagged, not withdrawn appeals by deadline.
    Index(
        "ix_clocks_due",
        "deadline",
        postgresql_where="answered_at IS NULL AND breached_at IS NULL AND withdrawn_at IS NULL "
        "AND deadline IS NOT NULL AND closed_at IS NULL",
    ),
)

# Each clock's warnings, breach, escalations and resolution; the scan reads the due ones by
# the partial index, never the whole table, and marks each fired exactly once.
steps = Table(
    "steps",
    metadata,
    Column("appeal_id", Uuid, primary_key=True),
    Column("step", Text, primary_key=True),
    Column("target", Text, nullable=False),
    Column("share", Float, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("fired_at", DateTime(timezone=True)),
    Index("ix_steps_due", "due_at", postgresql_where="fired_at IS NULL"),
)


# The backlog per body (domain.backlog): deltas appended by every change of a clock, folded
# into the counts on each scan tick.
backlog = Table(
    "backlog",
    metadata,
    Column("agency_id", Text, primary_key=True),
    Column("open", Integer, nullable=False),
    Column("overdue", Integer, nullable=False),
)
backlog_deltas = Table(
    "backlog_deltas",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("agency_id", Text, nullable=False),
    Column("open", Integer, nullable=False),
    Column("overdue", Integer, nullable=False),
)


# The notices sent, by the step event's id: a redelivered step is not told twice.
notifications = Table(
    "notifications",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("appeal_id", Uuid, nullable=False),
    Column("step", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def _versions(name: str) -> Table:
    """Every version of a document the monitor works by, whole (policies, the directory)."""
    return Table(
        name,
        metadata,
        Column("version", Integer, primary_key=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", Text, nullable=False),
        Column("comment", Text, nullable=False, server_default=""),
        Column("document", Text, nullable=False),
    )


policy_versions = _versions("policies_versions")
directory_versions = _versions("directory_versions")

outbox = outbox_table(metadata)
