"""Credentials at rest on the real database: `ingest.pages` holds only ciphertext while the
registry (and so every callback) sees plaintext and the admin API only masks; `rekey`
encrypts legacy plaintext and moves everything to the first key; a wrong key is an error.

The database is shared with other test sessions, which use the development key: whatever a
test commits stays readable with it (a rotation to another key is checked, then rolled back).
"""

import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appeals_common.db import Database
from appeals_common.events import Platform
from ingest.adapters import page_repository
from ingest.adapters.credential_cipher import (
    DEV_CREDENTIAL_KEY,
    PREFIX,
    CredentialCipher,
    CredentialKeyError,
)
from ingest.settings import Settings

pytestmark = pytest.mark.integration

DEV = CredentialCipher([DEV_CREDENTIAL_KEY])
CREDENTIALS = page_repository.ENCRYPTED_COLUMNS


def vk_page(page_id: str, group: str) -> dict[str, Any]:
    return {
        "id": page_id,
        "platform": "vk",
        "external_id": group,
        "body_id": "adm-test",
        "name": "Шифрование, ВК",
        "secret": f"vk-secret-{page_id}",
        "confirmation": f"confirm-{page_id}",
        "vk_access_token": f"vk1.a.community-token-{page_id}",
    }


def ok_page(page_id: str) -> dict[str, Any]:
    return {
        "id": page_id,
        "platform": "ok",
        "external_id": page_id,
        "body_id": "adm-test",
        "name": "Шифрование, ОК",
        # No polling credentials: the replicas on this database would poll the real OK API.
        "url_token": uuid.uuid4().hex + uuid.uuid4().hex,
    }


def tg_page(page_id: str) -> dict[str, Any]:
    return {
        "id": page_id,
        "platform": "telegram",
        "external_id": str(-1_000_000_000_000 - uuid.uuid4().int % 10**9),
        "body_id": "adm-test",
        "name": "Шифрование, Telegram",
        "secret": f"tg-secret-{page_id}",
        "bot_id": "7000000001",
        "discussion_id": "-1002222222222",
        "telegram_bot_token": f"123456:telegram-token-{page_id}",
    }


def secrets_of(page: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in page.items() if k in CREDENTIALS}


def vk_group() -> str:
    return str(900_000_000 + uuid.uuid4().int % 90_000_000)


@pytest.fixture
async def sessions(infra) -> AsyncIterator[async_sessionmaker[AsyncSession]]:  # type: ignore[no-untyped-def]
    database = Database(Settings())
    yield database.sessions
    await database.dispose()


async def stored_row(sessions: async_sessionmaker[AsyncSession], page_id: str) -> dict[str, Any]:
    async with sessions() as session:
        result = await session.execute(
            text("SELECT * FROM ingest.pages WHERE id = :id"), {"id": page_id}
        )
        return dict(result.mappings().one())


async def registry_version(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return await page_repository.version(session)


def rekey_cli(**env: str) -> subprocess.CompletedProcess[str]:
    """`python -m ingest.pages rekey` as an operator runs it (DATABASE_URL from infra)."""
    return subprocess.run(
        [sys.executable, "-m", "ingest.pages", "rekey"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_table_holds_ciphertext_the_registry_plaintext_the_admin_api_masks(
    admin: httpx.AsyncClient,
    admin_headers: dict[str, str],
    unique: Callable[[str], str],
    cleanup: list[str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    pages = [vk_page(unique("vk"), vk_group()), ok_page(unique("ok")), tg_page(unique("tg"))]
    for page in pages:
        cleanup.append(page["id"])
        created = await admin.post("/admin/v1/pages", json=page, headers=admin_headers)
        assert created.status_code == 201, created.text

    for page in pages:
        row = await stored_row(sessions, page["id"])
        for name, value in secrets_of(page).items():
            assert all(value not in str(column) for column in row.values()), name
            assert row[name].startswith(PREFIX) and DEV.decrypt(row[name]) == value
    ok_row = await stored_row(sessions, pages[1]["id"])
    assert ok_row["url_token_digest"] == hashlib.sha256(pages[1]["url_token"].encode()).hexdigest()

    async with sessions() as session:
        registry = await page_repository.load_registry(session, cipher=DEV)
    for page in pages:
        loaded = registry.get(page["id"])
        assert loaded is not None
        assert {n: getattr(loaded, n) for n in secrets_of(page)} == secrets_of(page)
    assert registry.find_by_url_token(Platform.OK, pages[1]["url_token"]) is not None

    # The replica's own snapshot: the VK confirmation answers with the plaintext string, the
    # OK URL finds its page (400 for the empty body, where an unknown token is a 403).
    vk = pages[0]
    body = {"type": "confirmation", "group_id": int(vk["external_id"]), "secret": vk["secret"]}
    confirmed = await admin.post("/callbacks/vk", json=body)
    assert (confirmed.status_code, confirmed.text) == (200, vk["confirmation"])
    assert (await admin.post(f"/callbacks/ok/{pages[1]['url_token']}", json={})).status_code == 400

    for page in pages:
        shown = await admin.get(f"/admin/v1/pages/{page['id']}", headers=admin_headers)
        row = await stored_row(sessions, page["id"])
        for name, value in secrets_of(page).items():
            assert value not in shown.text and row[name] not in shown.text
            assert shown.json()[name] == {"set": True, "last4": value[-4:]}


async def test_the_shipped_seed_is_stored_encrypted(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    row = await stored_row(sessions, "vk-adm-ivanovo")  # infra-up imported config/pages.yaml

    assert row["secret"].startswith(PREFIX) and row["vk_access_token"].startswith(PREFIX)
    assert DEV.decrypt(row["vk_access_token"]) == "demo-vk-token-vk-adm-ivanovo"


async def insert_legacy(sessions: async_sessionmaker[AsyncSession], page_id: str) -> str:
    """A page as the release before 0003 wrote it: credentials in clear, no token digest."""
    token = uuid.uuid4().hex + uuid.uuid4().hex
    async with sessions() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO ingest.pages (id, platform, external_id, body_id, name, url_token)"
                " VALUES (:id, 'ok', :id, 'adm-test', 'Старая запись', :token)"
            ),
            {"id": page_id, "token": token},
        )
    return token


async def test_rekey_encrypts_legacy_plaintext_and_bumps_the_version(
    admin: httpx.AsyncClient,
    unique: Callable[[str], str],
    cleanup: list[str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    page_id = unique("legacy")
    cleanup.append(page_id)
    token = await insert_legacy(sessions, page_id)
    async with sessions() as session:  # read as it is meanwhile
        legacy = (await page_repository.load_registry(session, cipher=DEV)).get(page_id)
    assert legacy is not None and legacy.url_token == token
    before = await registry_version(sessions)

    done = rekey_cli()

    assert done.returncode == 0, done.stderr
    row = await stored_row(sessions, page_id)
    assert row["url_token"].startswith(PREFIX) and DEV.decrypt(row["url_token"]) == token
    assert row["url_token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert await registry_version(sessions) > before
    logs = done.stdout + done.stderr
    assert "re-encrypted" in logs and token not in logs and PREFIX not in logs


async def test_rekey_with_a_new_first_key_leaves_nothing_the_old_key_alone_opens(
    admin: httpx.AsyncClient,
    admin_headers: dict[str, str],
    unique: Callable[[str], str],
    cleanup: list[str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    page = vk_page(unique("vk"), vk_group())
    cleanup.append(page["id"])
    assert (await admin.post("/admin/v1/pages", json=page, headers=admin_headers)).is_success
    new = Fernet.generate_key().decode()

    async with sessions() as session:
        await session.begin()
        await page_repository.rekey(session, cipher=CredentialCipher([new, DEV_CREDENTIAL_KEY]))
        rekeyed = dict(
            (
                await session.execute(
                    text("SELECT * FROM ingest.pages WHERE id = :id"), {"id": page["id"]}
                )
            )
            .mappings()
            .one()
        )
        # Rolled back: the other sessions on this database know the development key only.
        await session.rollback()

    only_new, only_old = CredentialCipher([new]), DEV
    for name, value in secrets_of(page).items():
        assert only_new.decrypt(rekeyed[name]) == value
        with pytest.raises(CredentialKeyError):
            only_old.decrypt(rekeyed[name])
    assert DEV.decrypt((await stored_row(sessions, page["id"]))["secret"]) == page["secret"]


async def test_a_wrong_key_is_a_clear_error_and_rekey_changes_nothing(
    admin: httpx.AsyncClient,
    admin_headers: dict[str, str],
    unique: Callable[[str], str],
    cleanup: list[str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    page = vk_page(unique("vk"), vk_group())
    cleanup.append(page["id"])
    assert (await admin.post("/admin/v1/pages", json=page, headers=admin_headers)).is_success
    wrong = Fernet.generate_key().decode()
    before = await stored_row(sessions, page["id"])

    async with sessions() as session:
        with pytest.raises(CredentialKeyError, match="INGEST_CREDENTIAL_KEYS") as caught:
            await page_repository.load_registry(session, cipher=CredentialCipher([wrong]))
    refused = rekey_cli(INGEST_CREDENTIAL_KEYS=wrong)

    assert page["secret"] not in str(caught.value)
    assert refused.returncode == 1
    logs = refused.stdout + refused.stderr
    assert "INGEST_CREDENTIAL_KEYS" in logs and PREFIX not in logs and page["secret"] not in logs
    assert await stored_row(sessions, page["id"]) == before
