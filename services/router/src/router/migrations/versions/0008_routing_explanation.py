"""why each appeal went where it did, and the directory version it was routed under

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    explanation = "JSON: the step, rule, places, territory, executor and bodies considered"
    version = "the directory version the routing decision was made under"
    op.add_column(
        "assignments", sa.Column("explanation", sa.Text(), comment=explanation), schema="router"
    )
    op.add_column(
        "assignments", sa.Column("directory_version", sa.Text(), comment=version), schema="router"
    )


def downgrade() -> None:
    op.drop_column("assignments", "directory_version", schema="router")
    op.drop_column("assignments", "explanation", schema="router")
