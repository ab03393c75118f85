"""clock routing: a reassignment moves the clock to the new agency

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "clocks",
        sa.Column("routing", sa.Integer(), server_default="0", nullable=False),
        schema="sla",
    )


def downgrade() -> None:
    op.drop_column("clocks", "routing", schema="sla")
