"""Importing a registry file (the demo region's seed) into the database: an upsert by page id,
so running it again changes nothing. Pages the file does not name are left as they are."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ingest.adapters import api_key_repository, page_repository
from ingest.adapters.credential_cipher import CredentialCipher
from ingest.adapters.page_registry_file import Seed
from ingest.page_admin import transaction


class DemoKeysRefused(ValueError):
    """The file carries published demo API keys and this is not a development environment."""


def check_environment(seed: Seed, environment: str) -> None:
    """Demo API keys are public (they are in the repository): development only."""
    if seed.demo_keys and environment != "development":
        pages = ", ".join(sorted(seed.demo_keys))
        raise DemoKeysRefused(
            f"demo_api_keys ({pages}) are refused with ENVIRONMENT={environment}: "
            "remove them and issue keys through POST /admin/v1/pages/{id}/api-keys"
        )


async def import_seed(
    sessions: async_sessionmaker[AsyncSession], seed: Seed, *, cipher: CredentialCipher
) -> None:
    """Upsert every page of the file (credentials encrypted) and store its demo keys' digests,
    in one transaction."""
    async with transaction(sessions) as session:
        for page in seed.pages:
            await page_repository.upsert_page(session, page, cipher=cipher)
        for key in seed.api_keys():
            await api_key_repository.add_key(session, key)
