"""the backlog per body as counts moved by each change of a clock, not counted on every tick

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backlog",
        sa.Column("agency_id", sa.Text(), primary_key=True),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        schema="sla",
    )
    op.create_table(
        "backlog_deltas",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("agency_id", sa.Text(), nullable=False),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        schema="sla",
    )
    # The counts start from the clocks as they are: the last full count there will be.
    op.execute(
        "INSERT INTO sla.backlog (agency_id, open, overdue) "
        "SELECT agency_id, count(*), count(*) FILTER (WHERE breached_at IS NOT NULL) "
        "FROM sla.clocks WHERE deadline IS NOT NULL AND agency_id IS NOT NULL "
        "AND answered_at IS NULL AND withdrawn_at IS NULL AND closed_at IS NULL "
        "GROUP BY agency_id"
    )


def downgrade() -> None:
    op.drop_table("backlog_deltas", schema="sla")
    op.drop_table("backlog", schema="sla")
