"""the whole classification kept with each assignment, for the rules' dry run

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "assignments",
        sa.Column("classification", sa.Text(), comment="JSON: the classification routed by"),
        schema="router",
    )


def downgrade() -> None:
    op.drop_column("assignments", "classification", schema="router")
