"""PostgreSQL plumbing: the async engine, the transactional outbox and migrations."""

from appeals_common.db.engine import DATABASE_UNREACHABLE, TRANSIENT_DB_ERRORS, Database
from appeals_common.db.outbox import OutboxRelay, Outgoing, enqueue, enqueue_many, outbox_table

__all__ = [
    "DATABASE_UNREACHABLE",
    "TRANSIENT_DB_ERRORS",
    "Database",
    "OutboxRelay",
    "Outgoing",
    "enqueue",
    "enqueue_many",
    "outbox_table",
]
