"""each clock's topic, for the SLA reports by topic

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clocks", sa.Column("topic", sa.Text()), schema="sla")
    op.create_index("ix_clocks_written_at", "clocks", ["written_at"], schema="sla")


def downgrade() -> None:
    op.drop_index("ix_clocks_written_at", table_name="clocks", schema="sla")
    op.drop_column("clocks", "topic", schema="sla")
