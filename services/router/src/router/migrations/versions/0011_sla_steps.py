"""the latest SLA step fired for each appeal: the queue's badge

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assignments", sa.Column("sla_step", sa.Text()), schema="router")
    op.add_column(
        "assignments", sa.Column("sla_step_at", sa.DateTime(timezone=True)), schema="router"
    )


def downgrade() -> None:
    op.drop_column("assignments", "sla_step_at", schema="router")
    op.drop_column("assignments", "sla_step", schema="router")
