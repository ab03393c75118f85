"""the card's details (places, classification reason, page body, text revisions) and the
SLA deadline and breach as the SLA monitor announces them

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

S = "router"
COLUMNS = {
    "body_id": sa.Text(),
    "classification_reason": sa.Text(),
    "places": sa.Text(),
    "due_at": sa.DateTime(timezone=True),
    "breached_at": sa.DateTime(timezone=True),
}


def upgrade() -> None:
    for name, type_ in COLUMNS.items():
        comment = "JSON list of the places and institutions named" if name == "places" else None
        op.add_column("assignments", sa.Column(name, type_, comment=comment), schema=S)
    op.create_table(
        "text_revisions",
        sa.Column("appeal_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("appeal_id", "revision"),
        schema=S,
    )
    # What was routed before this migration keeps its current text as its only revision.
    op.execute(
        "INSERT INTO router.text_revisions (appeal_id, revision, text, edited_at) "
        "SELECT appeal_id, revision, text, edited_at FROM router.assignments"
    )


def downgrade() -> None:
    op.drop_table("text_revisions", schema=S)
    for name in reversed(COLUMNS):
        op.drop_column("assignments", name, schema=S)
