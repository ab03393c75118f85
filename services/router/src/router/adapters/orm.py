"""The router's tables, in its own schema `router`. No other service reads them."""

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    Table,
    Text,
    Uuid,
)

from appeals_common.db import outbox_table

SCHEMA = "router"
metadata = MetaData(schema=SCHEMA)

assignments = Table(
    "assignments",
    metadata,
    Column("appeal_id", Uuid, primary_key=True),
    Column("agency_id", Text, nullable=False),
    Column("topic", Text, nullable=False),
    Column("topic_name", Text, nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("platform", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("page_id", Text, nullable=False),
    Column("author_platform_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("permalink", Text),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("routed_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("correlation_id", Text, nullable=False),
    # The queue page: an agency's open appeals, urgent first, oldest first.
    Index("ix_assignments_queue", "agency_id", "answered_at", "urgent", "written_at"),
)

responses = Table(
    "responses",
    metadata,
    Column("response_id", Uuid, primary_key=True),
    Column("appeal_id", Uuid, ForeignKey(assignments.c.appeal_id), nullable=False, index=True),
    Column("agency_id", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata)
