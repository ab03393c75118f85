"""the classifier's three likeliest topics on each appeal, for triage to pick from

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
    comment = "JSON list of the classifier's three likeliest topics"
    op.add_column(
        "assignments", sa.Column("candidates", sa.Text(), comment=comment), schema="router"
    )


def downgrade() -> None:
    op.drop_column("assignments", "candidates", schema="router")
