"""an index for the resident's answer to a wait: paused appeals by page and author

Every private message and reply is checked against the appeals waiting on its page for its
author; without this index each check read the whole assignments table.

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_assignments_paused",
        "assignments",
        ["page_id", "author_platform_id"],
        schema="router",
        postgresql_where="status = 'paused'",
    )


def downgrade() -> None:
    op.drop_index("ix_assignments_paused", "assignments", schema="router")
