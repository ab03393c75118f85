"""comment polling: OK and MAX polling credentials on pages, and the poll cursors

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CREDENTIALS = ("ok_application_key", "ok_access_token", "ok_session_secret", "max_bot_token")


def upgrade() -> None:
    for name in CREDENTIALS:
        op.add_column("pages", sa.Column(name, sa.Text(), nullable=True), schema="ingest")
    op.create_table(
        "poll_cursors",
        sa.Column("page_id", sa.Text(), nullable=False),
        sa.Column(
            "cursor",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "next_poll_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lease_id", sa.Uuid(), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["page_id"], ["ingest.pages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("page_id"),
        schema="ingest",
    )
    op.create_index(
        "ix_poll_cursors_next_poll_at", "poll_cursors", ["next_poll_at"], schema="ingest"
    )


def downgrade() -> None:
    op.drop_index("ix_poll_cursors_next_poll_at", table_name="poll_cursors", schema="ingest")
    op.drop_table("poll_cursors", schema="ingest")
    for name in reversed(CREDENTIALS):
        op.drop_column("pages", name, schema="ingest")
