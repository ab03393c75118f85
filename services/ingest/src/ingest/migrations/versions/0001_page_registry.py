"""page registry: pages, API keys and the registry version

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamp(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("platform", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("body_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("territory", sa.Text(), nullable=True),
        sa.Column("timezone", sa.Text(), nullable=True),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("confirmation", sa.Text(), nullable=True),
        sa.Column("bot_id", sa.Text(), nullable=True),
        sa.Column("discussion_id", sa.Text(), nullable=True),
        sa.Column("url_token", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "external_id", name="uq_pages_platform_external_id"),
        sa.UniqueConstraint("url_token", name="uq_pages_url_token"),
        schema="ingest",
    )
    op.create_index("ix_pages_body_id", "pages", ["body_id"], unique=False, schema="ingest")
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("page_id", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        _timestamp("created_at"),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["page_id"], ["ingest.pages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest", name="uq_api_keys_digest"),
        schema="ingest",
    )
    op.create_index("ix_api_keys_page_id", "api_keys", ["page_id"], unique=False, schema="ingest")
    op.create_table(
        "registry_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        _timestamp("changed_at"),
        sa.PrimaryKeyConstraint("id"),
        schema="ingest",
    )
    op.execute("INSERT INTO ingest.registry_version (id, version) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("registry_version", schema="ingest")
    op.drop_index("ix_api_keys_page_id", table_name="api_keys", schema="ingest")
    op.drop_table("api_keys", schema="ingest")
    op.drop_index("ix_pages_body_id", table_name="pages", schema="ingest")
    op.drop_table("pages", schema="ingest")
