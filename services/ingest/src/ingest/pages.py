"""`python -m ingest.pages import FILE`: upsert a page registry file into the database.

The local stack runs it with `config/pages.yaml` after the migrations (the demo region).
Idempotent; pages not in the file are kept; demo API keys only with ENVIRONMENT=development.
"""

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from appeals_common.db import Database
from appeals_common.logs import configure_logging
from ingest.adapters.page_registry_file import load_seed
from ingest.page_admin import PageConflict
from ingest.seed_import import DemoKeysRefused, check_environment, import_seed
from ingest.settings import Settings

log = logging.getLogger("ingest.pages")


async def _import(settings: Settings, path: Path) -> None:
    seed = load_seed(path)
    check_environment(seed, settings.environment)
    database = Database(settings)
    try:
        await import_seed(database.sessions, seed)
    finally:
        await database.dispose()
    keys = sum(len(k) for k in seed.demo_keys.values())
    log.info(
        "page registry imported",
        extra={"file": str(path), "pages": len(seed.pages), "demo_keys": keys},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.pages", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    import_cmd = commands.add_parser("import", help="upsert a registry file into the database")
    import_cmd.add_argument("file", type=Path, nargs="?", help="default: PAGE_REGISTRY_FILE")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging("ingest", settings.log_level)
    path = args.file or settings.page_registry_file
    try:
        asyncio.run(_import(settings, path))
    except (OSError, ValidationError, DemoKeysRefused, PageConflict) as exc:
        # A ValidationError hides the input (the file holds secrets); a conflict names no value.
        log.error("page registry import failed", extra={"file": str(path), "error": str(exc)})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
