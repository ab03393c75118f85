"""The router's tables, in its own schema `router`. No other service reads them."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Identity,
    Index,
    Integer,
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
    # An edit on the platform updates the text; the highest revision is the current one.
    Column("revision", BigInteger, nullable=False, server_default="0"),
    Column("edited_at", DateTime(timezone=True)),
    # Deleted on the platform: out of the open queue, kept for the record.
    Column("withdrawn_at", DateTime(timezone=True)),
    # 0 as first routed; one more with each reassignment by an operator.
    Column("routing", Integer, nullable=False, server_default="0"),
    # The lifecycle as operators moved it (domain.lifecycle.Status); answers and deletions
    # on the platform are the two timestamps above, so `effective_status` reads all three.
    Column("status", Text, nullable=False, server_default="routed"),
    # Optimistic concurrency: every change counts it up; a change must name the one it saw.
    Column("version", Integer, nullable=False, server_default="1"),
    Column("holder_sub", Text),
    Column("holder_name", Text),
    Column("holder_until", DateTime(timezone=True)),
    Column("merged_into", Uuid),
    Column("closed_at", DateTime(timezone=True)),
    # What the card shows of the classification, and the body whose page it was written on.
    Column("body_id", Text),
    Column("classification_reason", Text),
    Column("places", Text, comment="JSON list of the places and institutions named"),
    # The SLA monitor's deadline and breach, as it announced them (sla.deadlines, breaches).
    Column("due_at", DateTime(timezone=True)),
    Column("breached_at", DateTime(timezone=True)),
    # The appeal's object on its platform (ingest's key): where its answer is posted.
    Column("external_id", Text),
    Column("candidates", Text, comment="JSON list of the classifier's three likeliest topics"),
    # Why it went where it did (domain.routing.Explanation), under which directory version.
    Column(
        "explanation",
        Text,
        comment="JSON: the step, rule, places, territory, executor and bodies considered",
    ),
    Column(
        "directory_version",
        Text,
        comment="the directory version the routing decision was made under",
    ),
    # The latest SLA step fired (a warning, the breach, an escalation): the queue's badge.
    Column("sla_step", Text),
    Column("sla_step_at", DateTime(timezone=True)),
    # What a proposed rule set is tried on (the rules' dry run routes recent appeals again).
    Column("classification", Text, comment="JSON: the classification routed by"),
    # The queue page: an agency's open appeals, urgent first, oldest first.
    Index("ix_assignments_queue", "agency_id", "answered_at", "urgent", "written_at"),
    # The resident's answer to a wait: the appeals waiting on a page for an author.
    Index(
        "ix_assignments_paused",
        "page_id",
        "author_platform_id",
        postgresql_where="status = 'paused'",
    ),
)

# No foreign key to assignments: an answer posted on the platform can arrive before the
# appeal is routed (they come over different topics); routing then finds it here.
responses = Table(
    "responses",
    metadata,
    Column("response_id", Uuid, primary_key=True),
    Column("appeal_id", Uuid, nullable=False, index=True),
    Column("agency_id", Text),
    Column("channel", Text, nullable=False, server_default="queue"),
    Column("text", Text, comment="null for answers given on the platform"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("author_sub", Text),
    Column("author_name", Text),
    # A double click or a retried request with the same key stores one answer.
    Column("idempotency_key", Text),
    # interim («приняли в работу»: the first response, the appeal stays in work) or final.
    Column("kind", Text, nullable=False, server_default="final"),
    Index(
        "ux_responses_idempotency",
        "appeal_id",
        "idempotency_key",
        unique=True,
        postgresql_where="idempotency_key IS NOT NULL",
    ),
)

# Each answer's way to the platform, per target appeal (a merged duplicate's resident gets the
# main appeal's answer too): what the delivery worker reported, or what an operator decided.
deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", Uuid, primary_key=True),
    Column("response_id", Uuid, nullable=False),
    Column("appeal_id", Uuid, nullable=False),
    Column("platform", Text, nullable=False),
    Column("round", Integer, nullable=False, server_default="0"),
    Column("state", Text, nullable=False),
    Column("reply_id", Text),
    Column("reply_url", Text),
    Column("parts", Integer),
    Column("reason", Text),
    Column("detail", Text),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", Text, comment="who retried or marked it, by name"),
    Index("ix_deliveries_appeal_id", "appeal_id"),
)

# Every text an appeal had: the original and each edit on the platform, for the card.
text_revisions = Table(
    "text_revisions",
    metadata,
    Column("appeal_id", Uuid, primary_key=True),
    Column("revision", BigInteger, primary_key=True),
    Column("text", Text, nullable=False),
    Column("edited_at", DateTime(timezone=True)),
)

# Who did what to an appeal, from which state to which: written with the change itself.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("appeal_id", Uuid, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_sub", Text, nullable=False),
    Column("actor_name", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("from_status", Text),
    Column("to_status", Text),
    Column("from_agency", Text),
    Column("to_agency", Text),
    Column("version", Integer, nullable=False),
    Column("detail", Text),
    Index("ix_audit_log_appeal", "appeal_id", "id"),
)

# Internal notes between operators; never shown to the resident.
notes = Table(
    "notes",
    metadata,
    Column("note_id", Uuid, primary_key=True),
    Column("appeal_id", Uuid, nullable=False, index=True),
    Column("author_sub", Text, nullable=False),
    Column("author_name", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Deletions seen on the platform, kept even when the appeal is not (yet) routed, so an
# appeal routed after its deletion is recorded as withdrawn, not put in a queue.
withdrawals = Table(
    "withdrawals",
    metadata,
    Column("appeal_id", Uuid, primary_key=True),
    Column("withdrawn_at", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata)
