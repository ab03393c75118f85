"""The page registry's commands.

`python -m ingest.pages import FILE`: upsert a page registry file into the database. The local
stack runs it with `config/pages.yaml` after the migrations (the demo region). Idempotent;
pages not in the file are kept; demo API keys only with ENVIRONMENT=development.

`python -m ingest.pages rekey`: re-encrypt every page credential with the first key of
INGEST_CREDENTIAL_KEYS, in one transaction (docs/ingest.md, "Credentials at rest").
"""

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from appeals_common.db import Database
from appeals_common.logs import configure_logging
from ingest.adapters import page_repository
from ingest.adapters.credential_cipher import CredentialCipher, CredentialKeyError
from ingest.adapters.page_registry_file import load_seed
from ingest.page_admin import PageConflict, transaction
from ingest.seed_import import DemoKeysRefused, check_environment, import_seed
from ingest.settings import Settings

log = logging.getLogger("ingest.pages")


async def _import(settings: Settings, path: Path) -> None:
    seed = load_seed(path)
    check_environment(seed, settings.environment)
    database = Database(settings)
    try:
        cipher = CredentialCipher(settings.cipher_keys())
        await import_seed(database.sessions, seed, cipher=cipher)
    finally:
        await database.dispose()
    keys = sum(len(k) for k in seed.demo_keys.values())
    log.info(
        "page registry imported",
        extra={"file": str(path), "pages": len(seed.pages), "demo_keys": keys},
    )


async def _rekey(settings: Settings) -> None:
    database = Database(settings)
    try:
        async with transaction(database.sessions) as session:
            count = await page_repository.rekey(
                session, cipher=CredentialCipher(settings.cipher_keys())
            )
    finally:
        await database.dispose()
    log.info("page credentials re-encrypted with the first key", extra={"credentials": count})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest.pages",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    import_cmd = commands.add_parser("import", help="upsert a registry file into the database")
    import_cmd.add_argument("file", type=Path, nargs="?", help="default: PAGE_REGISTRY_FILE")
    commands.add_parser("rekey", help="re-encrypt every credential with the first key")
    args = parser.parse_args(argv)
    settings = Settings()
    configure_logging("ingest", settings.log_level)
    if args.command == "rekey":
        return _run_rekey(settings)
    return _run_import(settings, args.file or settings.page_registry_file)


def _run_import(settings: Settings, path: Path) -> int:
    try:
        asyncio.run(_import(settings, path))
    except (OSError, ValidationError, DemoKeysRefused, PageConflict) as exc:
        # A ValidationError hides the input (the file holds secrets); a conflict names no value.
        log.error("page registry import failed", extra={"file": str(path), "error": str(exc)})
        return 1
    return 0


def _run_rekey(settings: Settings) -> int:
    try:
        asyncio.run(_rekey(settings))
    except (CredentialKeyError, PageConflict) as exc:
        # Nothing was changed: the transaction rolled back. Neither message holds a value.
        log.error("page credential rekey failed", extra={"error": str(exc)})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
