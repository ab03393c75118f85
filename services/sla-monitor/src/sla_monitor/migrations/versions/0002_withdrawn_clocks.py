"""withdrawn clocks: appeals deleted on the platform can no longer breach

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DUE_BEFORE = "answered_at IS NULL AND breached_at IS NULL AND deadline IS NOT NULL"
_DUE_AFTER = (
    "answered_at IS NULL AND breached_at IS NULL AND withdrawn_at IS NULL AND deadline IS NOT NULL"
)


def _due_index(where: str) -> None:
    op.drop_index("ix_clocks_due", table_name="clocks", schema="sla")
    op.create_index(
        "ix_clocks_due",
        "clocks",
        ["deadline"],
        schema="sla",
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    op.add_column("clocks", sa.Column("withdrawn_at", sa.DateTime(timezone=True)), schema="sla")
    _due_index(_DUE_AFTER)


def downgrade() -> None:
    _due_index(_DUE_BEFORE)
    op.drop_column("clocks", "withdrawn_at", schema="sla")
