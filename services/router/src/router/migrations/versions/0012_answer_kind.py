"""answers carry their kind: interim (the first response, the appeal stays in work) or final

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "responses",
        sa.Column("kind", sa.Text(), nullable=False, server_default="final"),
        schema="router",
    )


def downgrade() -> None:
    op.drop_column("responses", "kind", schema="router")
