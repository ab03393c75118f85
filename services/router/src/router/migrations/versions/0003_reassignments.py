"""reassignments: how many times an operator moved an appeal

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
        "assignments",
        sa.Column("routing", sa.Integer(), server_default="0", nullable=False),
        schema="router",
    )


def downgrade() -> None:
    op.drop_column("assignments", "routing", schema="router")
