"""policies as versioned data, the directory the monitor counts by, and each clock's steps

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_CLOCK_COLUMNS = (
    ("policy_id", sa.Text()),
    ("policy_version", sa.Integer()),
    ("clock_started_at", sa.DateTime(timezone=True)),
    ("paused_at", sa.DateTime(timezone=True)),
    ("paused_seconds", sa.Float()),
    ("extra_seconds", sa.Float()),
    ("resolved_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    for name, kind in _CLOCK_COLUMNS:
        op.add_column("clocks", sa.Column(name, kind), schema="sla")
    op.create_table(
        "steps",
        sa.Column("appeal_id", sa.Uuid(), primary_key=True),
        sa.Column("step", sa.Text(), primary_key=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True)),
        schema="sla",
    )
    op.create_index(
        "ix_steps_due", "steps", ["due_at"], schema="sla", postgresql_where="fired_at IS NULL"
    )
    # The clocks still running keep their deadline as the breach step; a breach already
    # flagged stays fired.
    op.execute(
        "INSERT INTO sla.steps (appeal_id, step, target, share, recipient, due_at, fired_at) "
        "SELECT appeal_id, 'breach', 'first_response', 1.0, 'head', deadline, breached_at "
        "FROM sla.clocks WHERE deadline IS NOT NULL AND answered_at IS NULL "
        "AND withdrawn_at IS NULL AND closed_at IS NULL"
    )
    for kind in ("policies", "directory"):
        op.create_table(
            f"{kind}_versions",
            sa.Column("version", sa.Integer(), primary_key=True),
            sa.Column(
                "created_at", sa.DateTime(timezone=True), nullable=False,
                server_default=sa.func.now(),
            ),
            sa.Column("actor", sa.Text(), nullable=False),
            sa.Column("comment", sa.Text(), nullable=False, server_default=""),
            sa.Column("document", sa.Text(), nullable=False),
            schema="sla",
        )  # fmt: skip


def downgrade() -> None:
    for kind in ("policies", "directory"):
        op.drop_table(f"{kind}_versions", schema="sla")
    op.drop_index("ix_steps_due", table_name="steps", schema="sla")
    op.drop_table("steps", schema="sla")
    for name, _ in _CLOCK_COLUMNS:
        op.drop_column("clocks", name, schema="sla")
