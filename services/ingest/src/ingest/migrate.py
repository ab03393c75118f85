"""`python -m ingest.migrate`: bring ingest's schema (the page registry) to the latest revision."""

from pathlib import Path

from appeals_common.db.migrations import upgrade
from ingest.settings import Settings

if __name__ == "__main__":
    upgrade(Path(__file__).parent / "migrations", Settings().database_url)
