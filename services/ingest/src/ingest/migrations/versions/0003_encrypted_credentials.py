"""encrypted credentials: answering tokens, and the OK URL token unique by its digest

Revision ID: 0003
Revises: 0002

Schema only, and no key needed: the setup Job that runs migrations has no access to
INGEST_CREDENTIAL_KEYS, and the pods of the previous release, still running during the
rollout, must keep reading the plaintext they know. Values stored before this revision stay
plaintext (ciphertext is told apart by its `fernet:` prefix) until the next write of their page
or `python -m ingest.pages rekey`, run once after the rollout (docs/ingest.md, "Credentials at
rest").
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ANSWER_TOKENS = ("vk_access_token", "telegram_bot_token")
OLD_CREDENTIALS = (
    "secret",
    "confirmation",
    "url_token",
    "ok_application_key",
    "ok_access_token",
    "ok_session_secret",
    "max_bot_token",
)


def upgrade() -> None:
    for name in ANSWER_TOKENS:
        op.add_column("pages", sa.Column(name, sa.Text(), nullable=True), schema="ingest")
    op.add_column("pages", sa.Column("url_token_digest", sa.Text(), nullable=True), schema="ingest")
    # The same digest as the repository's: sha256 of the token's UTF-8 bytes, in hex.
    op.execute(
        "UPDATE ingest.pages SET url_token_digest = "
        "encode(sha256(convert_to(url_token, 'UTF8')), 'hex') WHERE url_token IS NOT NULL"
    )
    # Ciphertext differs on every write: uniqueness moves to the digest.
    op.drop_constraint("uq_pages_url_token", "pages", schema="ingest", type_="unique")
    op.create_unique_constraint(
        "uq_pages_url_token_digest", "pages", ["url_token_digest"], schema="ingest"
    )


def downgrade() -> None:
    # The release before 0003 would take ciphertext for the credential itself: refuse, rather
    # than leave pages whose callbacks all fail.
    encrypted = " OR ".join(f"{name} LIKE 'fernet:%'" for name in OLD_CREDENTIALS)
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM ingest.pages WHERE "
        f"{encrypted}) THEN RAISE EXCEPTION "
        "'ingest.pages holds encrypted credentials, which revision 0002 cannot read'; "
        "END IF; END $$"
    )
    op.drop_constraint("uq_pages_url_token_digest", "pages", schema="ingest", type_="unique")
    op.create_unique_constraint("uq_pages_url_token", "pages", ["url_token"], schema="ingest")
    op.drop_column("pages", "url_token_digest", schema="ingest")
    for name in reversed(ANSWER_TOKENS):
        op.drop_column("pages", name, schema="ingest")
