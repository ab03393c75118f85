"""work queues: lifecycle status, versions, claims, audit log, notes, answer authors

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

S = "router"


def upgrade() -> None:
    add = op.add_column
    add(
        "assignments",
        sa.Column("status", sa.Text(), server_default="routed", nullable=False),
        schema=S,
    )
    add(
        "assignments",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        schema=S,
    )
    add("assignments", sa.Column("holder_sub", sa.Text()), schema=S)
    add("assignments", sa.Column("holder_name", sa.Text()), schema=S)
    add("assignments", sa.Column("holder_until", sa.DateTime(timezone=True)), schema=S)
    add("assignments", sa.Column("merged_into", sa.Uuid()), schema=S)
    add("assignments", sa.Column("closed_at", sa.DateTime(timezone=True)), schema=S)
    # Appeals answered before this migration were answered through the queue or on the platform.
    op.execute("UPDATE router.assignments SET status = 'answered' WHERE answered_at IS NOT NULL")
    add("responses", sa.Column("author_sub", sa.Text()), schema=S)
    add("responses", sa.Column("author_name", sa.Text()), schema=S)
    add("responses", sa.Column("idempotency_key", sa.Text()), schema=S)
    op.create_index(
        "ux_responses_idempotency",
        "responses",
        ["appeal_id", "idempotency_key"],
        unique=True,
        schema=S,
        postgresql_where="idempotency_key IS NOT NULL",
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("appeal_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_sub", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text()),
        sa.Column("to_status", sa.Text()),
        sa.Column("from_agency", sa.Text()),
        sa.Column("to_agency", sa.Text()),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.PrimaryKeyConstraint("id"),
        schema=S,
    )
    op.create_index("ix_audit_log_appeal", "audit_log", ["appeal_id", "id"], schema=S)
    op.create_table(
        "notes",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("appeal_id", sa.Uuid(), nullable=False),
        sa.Column("author_sub", sa.Text(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("note_id"),
        schema=S,
    )
    op.create_index(op.f("ix_router_notes_appeal_id"), "notes", ["appeal_id"], schema=S)


def downgrade() -> None:
    op.drop_index(op.f("ix_router_notes_appeal_id"), table_name="notes", schema=S)
    op.drop_table("notes", schema=S)
    op.drop_index("ix_audit_log_appeal", table_name="audit_log", schema=S)
    op.drop_table("audit_log", schema=S)
    op.drop_index("ux_responses_idempotency", table_name="responses", schema=S)
    for column in ("idempotency_key", "author_name", "author_sub"):
        op.drop_column("responses", column, schema=S)
    for column in (
        "closed_at",
        "merged_into",
        "holder_until",
        "holder_name",
        "holder_sub",
        "version",
        "status",
    ):
        op.drop_column("assignments", column, schema=S)
