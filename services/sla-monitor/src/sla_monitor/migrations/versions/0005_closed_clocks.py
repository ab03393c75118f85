"""closed clocks: an operator merged the appeal or found it is not one; no answer is due

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DUE = (
    "answered_at IS NULL AND breached_at IS NULL AND withdrawn_at IS NULL AND deadline IS NOT NULL"
)


def upgrade() -> None:
    op.add_column("clocks", sa.Column("closed_at", sa.DateTime(timezone=True)), schema="sla")
    op.add_column("clocks", sa.Column("closed_reason", sa.Text()), schema="sla")
    op.drop_index("ix_clocks_due", table_name="clocks", schema="sla")
    op.create_index(
        "ix_clocks_due",
        "clocks",
        ["deadline"],
        schema="sla",
        postgresql_where=f"{DUE} AND closed_at IS NULL",
    )


def downgrade() -> None:
    op.drop_index("ix_clocks_due", table_name="clocks", schema="sla")
    op.create_index("ix_clocks_due", "clocks", ["deadline"], schema="sla", postgresql_where=DUE)
    op.drop_column("clocks", "closed_reason", schema="sla")
    op.drop_column("clocks", "closed_at", schema="sla")
