"""`python -m ingest.migrate`: bring ingest's schema (the page registry) to the latest revision."""

from pathlib import Path

from appeals_common.db.migrations import upgrade
from appeals_common.settings import DatabaseSettings

if __name__ == "__main__":
    # Only the database: the migrations need no admin token and no credential key.
    upgrade(Path(__file__).parent / "migrations", DatabaseSettings().database_url)
