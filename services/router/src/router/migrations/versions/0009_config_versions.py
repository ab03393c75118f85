"""the directory and the routing rules in the database, every version kept

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
    op.create_table(
        "config_versions",
        sa.Column("kind", sa.Text(), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("changed", sa.Text(), nullable=False, server_default="[]",
                  comment="JSON list of ids"),
        schema="router",
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("config_versions", schema="router")
