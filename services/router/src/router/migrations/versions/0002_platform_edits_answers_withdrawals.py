"""platform edits, answers and withdrawals

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "assignments",
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        schema="router",
    )
    op.add_column(
        "assignments", sa.Column("edited_at", sa.DateTime(timezone=True)), schema="router"
    )
    op.add_column(
        "assignments", sa.Column("withdrawn_at", sa.DateTime(timezone=True)), schema="router"
    )
    op.drop_constraint("responses_appeal_id_fkey", "responses", schema="router")
    op.alter_column("responses", "agency_id", nullable=True, schema="router")
    op.alter_column(
        "responses",
        "text",
        nullable=True,
        comment="null for answers given on the platform",
        schema="router",
    )
    op.add_column(
        "responses",
        sa.Column("channel", sa.Text(), server_default="queue", nullable=False),
        schema="router",
    )
    op.create_table(
        "withdrawals",
        sa.Column("appeal_id", sa.Uuid(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("appeal_id"),
        schema="router",
    )


def downgrade() -> None:
    op.drop_table("withdrawals", schema="router")
    op.drop_column("responses", "channel", schema="router")
    op.execute("DELETE FROM router.responses WHERE text IS NULL OR agency_id IS NULL")
    op.alter_column("responses", "text", nullable=False, comment=None, schema="router")
    op.alter_column("responses", "agency_id", nullable=False, schema="router")
    op.create_foreign_key(
        "responses_appeal_id_fkey",
        "responses",
        "assignments",
        ["appeal_id"],
        ["appeal_id"],
        source_schema="router",
        referent_schema="router",
    )
    op.drop_column("assignments", "withdrawn_at", schema="router")
    op.drop_column("assignments", "edited_at", schema="router")
    op.drop_column("assignments", "revision", schema="router")
