"""The admin API's view of a page: credentials only named, never shown."""

import pytest

from appeals_common.events import Platform
from ingest.domain.page_views import SecretRead, masked, page_read
from ingest.domain.pages import Page


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, SecretRead(set=False)),
        ("3f9a1c2e", SecretRead(set=True, last4=None)),  # short: its tail would give too much
        ("demo-vk-secret-ivanovo", SecretRead(set=True, last4="novo")),
    ],
)
def test_a_credential_is_masked(value: str | None, shown: SecretRead) -> None:
    assert masked(value) == shown


def test_a_page_read_holds_no_credential_in_full() -> None:
    page = Page(
        "ok-test",
        Platform.OK,
        "7001",
        "adm-test",
        "ОК",
        secret="a-long-shared-secret-value",
        confirmation="confirm-string-long",
        url_token="tok-" + "x" * 28 + "wxyz",
        timezone="Europe/Moscow",
    )

    text = page_read(page).model_dump_json()

    for secret in ("a-long-shared-secret-value", "confirm-string-long", "tok-" + "x" * 28):
        assert secret not in text
    assert page_read(page).url_token == SecretRead(set=True, last4="wxyz")
    assert page_read(page).timezone == "Europe/Moscow"
