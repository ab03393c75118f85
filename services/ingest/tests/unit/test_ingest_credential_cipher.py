"""Credentials at rest: a round trip, rotation by prepending a key, legacy plaintext read as it
is, a missing key a clear error that shows neither the value nor the ciphertext."""

from dataclasses import fields

import pytest
from cryptography.fernet import Fernet

from ingest.adapters.credential_cipher import (
    DEV_CREDENTIAL_KEY,
    PREFIX,
    CredentialCipher,
    CredentialKeyError,
    is_encrypted,
    parse_keys,
)
from ingest.adapters.page_repository import ENCRYPTED_COLUMNS
from ingest.domain.pages import Page

TOKEN = "vk1.a.community-token-0001"


def key() -> str:
    return Fernet.generate_key().decode()


def test_a_credential_round_trips_and_is_not_stored_as_itself() -> None:
    cipher = CredentialCipher([key()])

    stored = cipher.encrypt(TOKEN)

    assert stored.startswith(PREFIX) and is_encrypted(stored)
    assert TOKEN not in stored
    assert cipher.decrypt(stored) == TOKEN
    assert cipher.encrypt(TOKEN) != stored  # a fresh IV each time


def test_a_value_under_the_old_key_opens_after_a_new_key_is_prepended() -> None:
    old, new = key(), key()
    stored = CredentialCipher([old]).encrypt(TOKEN)

    rotated = CredentialCipher([new, old])

    assert rotated.decrypt(stored) == TOKEN


def test_rekeyed_values_need_only_the_new_key() -> None:
    old, new = key(), key()
    stored = CredentialCipher([old]).encrypt(TOKEN)

    rekeyed = CredentialCipher([new, old]).rekeyed(stored)

    assert CredentialCipher([new]).decrypt(rekeyed) == TOKEN
    with pytest.raises(CredentialKeyError):
        CredentialCipher([old]).decrypt(rekeyed)


def test_legacy_plaintext_is_read_as_it_is_and_encrypted_by_rekey() -> None:
    cipher = CredentialCipher([key()])

    assert not is_encrypted(TOKEN)
    assert cipher.decrypt(TOKEN) == TOKEN
    rekeyed = cipher.rekeyed(TOKEN)
    assert is_encrypted(rekeyed) and cipher.decrypt(rekeyed) == TOKEN


@pytest.mark.parametrize("tampered", [False, True])
def test_no_key_that_opens_it_is_a_clear_error_not_plaintext(tampered: bool) -> None:
    stored = CredentialCipher([key()]).encrypt(TOKEN)
    if tampered:
        stored = stored[:-6] + "AAAAAA"

    with pytest.raises(CredentialKeyError, match="INGEST_CREDENTIAL_KEYS") as caught:
        CredentialCipher([key()]).decrypt(stored)

    assert TOKEN not in str(caught.value)
    assert stored.removeprefix(PREFIX) not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_ciphertext_that_is_not_even_ascii_is_the_same_clear_error() -> None:
    with pytest.raises(CredentialKeyError):
        CredentialCipher([key()]).decrypt(PREFIX + "ключ")


def test_keys_are_parsed_from_a_comma_separated_list() -> None:
    first, second = key(), key()

    assert parse_keys(f" {first} ,{second},") == [first, second]
    assert parse_keys(DEV_CREDENTIAL_KEY) == [DEV_CREDENTIAL_KEY]


@pytest.mark.parametrize("raw", ["", " , ", "not-a-key"])
def test_a_bad_key_list_is_refused_without_showing_it(raw: str) -> None:
    with pytest.raises(ValueError, match="INGEST_CREDENTIAL_KEYS") as caught:
        parse_keys(f"{key()},{raw}" if raw == "not-a-key" else raw)

    if raw == "not-a-key":
        assert "key 2" in str(caught.value) and raw not in str(caught.value)


def test_every_credential_of_a_page_is_an_encrypted_column() -> None:
    # A credential is a Page field kept out of repr; a new one must not be stored in clear.
    credentials = {f.name for f in fields(Page) if not f.repr}

    assert set(ENCRYPTED_COLUMNS) == credentials
    assert {"vk_access_token", "telegram_bot_token"} <= credentials
