"""Ingest's tables, in its own schema `ingest`: the page registry and where polling stopped.
No other service reads them."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA = "ingest"
metadata = MetaData(schema=SCHEMA)

pages = Table(
    "pages",
    metadata,
    Column("id", Text, primary_key=True),
    Column("platform", Text, nullable=False),
    Column("external_id", Text, nullable=False),
    Column("body_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("territory", Text),
    Column("timezone", Text),
    Column("secret", Text),
    Column("confirmation", Text),
    Column("bot_id", Text),
    Column("discussion_id", Text),
    # Credentials hold ciphertext (adapters/credential_cipher.py); the OK URL token is also
    # kept as its sha256, which is what makes it unique (ciphertext differs on every write).
    Column("url_token", Text),
    Column("url_token_digest", Text),
    Column("ok_application_key", Text),
    Column("ok_access_token", Text),
    Column("ok_session_secret", Text),
    Column("max_bot_token", Text),
    Column("vk_access_token", Text),
    Column("telegram_bot_token", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Callbacks find their page by these: each must name one page.
    UniqueConstraint("platform", "external_id", name="uq_pages_platform_external_id"),
    UniqueConstraint("url_token_digest", name="uq_pages_url_token_digest"),
    Index("ix_pages_body_id", "body_id"),
)

# Only a digest of each key: a leaked table opens nothing.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Text, primary_key=True),
    Column("page_id", Text, ForeignKey("ingest.pages.id", ondelete="CASCADE"), nullable=False),
    Column("prefix", Text, nullable=False),
    Column("digest", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
    UniqueConstraint("digest", name="uq_api_keys_digest"),
    Index("ix_api_keys_page_id", "page_id"),
)

# One row whose version every change of pages or keys bumps in its own transaction: replicas
# poll this cheap row and reload the registry only when it moved.
registry_version = Table(
    "registry_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# One row per polled page: where its last poll stopped and when it is due. A process claims due
# rows with FOR UPDATE SKIP LOCKED and leases them (`lease_id`, `next_poll_at` pushed past the
# poll), so two processes never poll one page at once and a crashed poller's lease runs out.
poll_cursors = Table(
    "poll_cursors",
    metadata,
    Column("page_id", Text, ForeignKey("ingest.pages.id", ondelete="CASCADE"), primary_key=True),
    Column("cursor", JSONB, nullable=False, server_default="{}"),
    Column("next_poll_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("lease_id", Uuid),
    Column("polled_at", DateTime(timezone=True)),
    Index("ix_poll_cursors_next_poll_at", "next_poll_at"),
)
