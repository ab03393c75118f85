"""The delivery worker's tables, in ingest's schema next to the pages whose tokens it uses."""

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    Table,
    Text,
    Uuid,
    text,
)

from appeals_common.db import outbox_table
from ingest.adapters.orm import metadata

# One row per answer and target appeal (a merged duplicate gets the main appeal's answer too).
deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("appeal_id", Uuid, nullable=False),
    Column("response_id", Uuid, nullable=False),
    Column("platform", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("page_id", Text, nullable=False),
    Column("external_id", Text, nullable=False),
    Column("author_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("round", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("tries", Integer, nullable=False, server_default="0"),
    Column("parts_done", Integer, nullable=False, server_default="0"),
    Column("parts_total", Integer),
    Column("reply_id", Text),
    Column("reply_url", Text),
    Column("reason", Text),
    Column("detail", Text),
    Column("next_try_at", DateTime(timezone=True), nullable=False),
    Column("lease_id", Uuid),
    Column("lease_until", DateTime(timezone=True)),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The worker's claim scans only what may be due.
    Index(
        "ix_deliveries_due",
        "next_try_at",
        postgresql_where=text("state IN ('pending', 'sending')"),
    ),
    Index("ix_deliveries_appeal_id", "appeal_id"),
)

# Every reply we posted (each part of a long answer), by the response id that ingest's webhook
# or poller gives the page's reply when the platform shows it back to us: so it knows it for
# ours, not a new answer by the page.
posted_replies = Table(
    "posted_replies",
    metadata,
    Column("response_id", Uuid, primary_key=True),
    Column("platform", Text, nullable=False),
    Column("page_id", Text, nullable=False),
    Column("reply_id", Text, nullable=False),
    Column("delivery_id", Uuid, nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False),
)

# The delivery outcomes leave through the outbox, in the transaction that records them.
outbox = outbox_table(metadata)
