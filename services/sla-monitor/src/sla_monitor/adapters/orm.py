"""The SLA monitor's tables, in its own schema `sla`. No other service reads them."""

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, MetaData, Table, Text, Uuid

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
    # The breach scan: unanswered, unflagged, not withdrawn appeals by deadline.
    Index(
        "ix_clocks_due",
        "deadline",
        postgresql_where="answered_at IS NULL AND breached_at IS NULL AND withdrawn_at IS NULL "
        "AND deadline IS NOT NULL AND closed_at IS NULL",
    ),
)

outbox = outbox_table(metadata)
