"""clock rerouted_at: a deletion older than the latest routing no longer withdraws

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clocks", sa.Column("rerouted_at", sa.DateTime(timezone=True)), schema="sla")


def downgrade() -> None:
    op.drop_column("clocks", "rerouted_at", schema="sla")
