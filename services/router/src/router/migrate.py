"""`python -m router.migrate`: bring the router's schema to the latest revision."""

from pathlib import Path

from appeals_common.db.migrations import upgrade
from router.settings import Settings

if __name__ == "__main__":
    upgrade(Path(__file__).parent / "migrations", Settings().database_url)
