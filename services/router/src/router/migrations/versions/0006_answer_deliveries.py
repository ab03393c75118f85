"""answer delivery: the appeal's object id on its platform, and each answer's delivery

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

S = "router"


def upgrade() -> None:
    op.add_column("assignments", sa.Column("external_id", sa.Text()), schema=S)
    op.create_table(
        "deliveries",
        sa.Column("delivery_id", sa.Uuid(), primary_key=True),
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("appeal_id", sa.Uuid(), nullable=False),
        sa.Column("platform", sa.Text(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("reply_id", sa.Text()),
        sa.Column("reply_url", sa.Text()),
        sa.Column("parts", sa.Integer()),
        sa.Column("reason", sa.Text()),
        sa.Column("detail", sa.Text()),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Text(), comment="who retried or marked it, by name"),
        schema=S,
    )
    op.create_index("ix_deliveries_appeal_id", "deliveries", ["appeal_id"], schema=S)


def downgrade() -> None:
    op.drop_index("ix_deliveries_appeal_id", table_name="deliveries", schema=S)
    op.drop_table("deliveries", schema=S)
    op.drop_column("assignments", "external_id", schema=S)
