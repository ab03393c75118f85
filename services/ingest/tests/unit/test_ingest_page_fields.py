"""Page fields: one rule for what each platform requires, a real time zone, and updates that
are checked as a whole page."""

from typing import Any

import pytest
from pydantic import ValidationError

from appeals_common.events import Platform
from ingest.domain.page_fields import PageCreate, PageUpdate, updated
from ingest.domain.pages import REQUIRED_CREDENTIALS, Page, missing_credentials

TG: dict[str, Any] = {
    "id": "tg-test",
    "platform": "telegram",
    "external_id": "-1001",
    "body_id": "adm-test",
    "name": "Тест",
    "secret": "tg-secret",
    "bot_id": "7000",
    "discussion_id": "-1002",
    "territory": "24701000",
    "timezone": "Europe/Moscow",
}


def test_missing_credentials_names_what_the_platform_requires() -> None:
    assert missing_credentials(Platform.MAX, {"secret": "s"}) == ["bot_id"]
    assert missing_credentials(Platform.OK, {}) == ["url_token"]
    assert missing_credentials(Platform.VK, {}) == []
    assert missing_credentials(Platform.API, {}) == []
    assert set(REQUIRED_CREDENTIALS) == {Platform.TELEGRAM, Platform.MAX, Platform.OK}


def test_a_complete_page_becomes_a_domain_page_with_territory_and_time_zone() -> None:
    page = PageCreate.model_validate(TG).to_page()

    assert page == Page(
        "tg-test",
        Platform.TELEGRAM,
        "-1001",
        "adm-test",
        "Тест",
        secret="tg-secret",
        bot_id="7000",
        discussion_id="-1002",
        territory="24701000",
        timezone="Europe/Moscow",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Moscow/Europe"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"discussion_id": None}, "discussion_id"),
        ({"bot_id": "@bot"}, "bot_id"),
        ({"id": "has space"}, "id"),
        ({"platform": "myspace"}, "platform"),
        ({"territory": ""}, "territory"),
        ({"secrte": "typo"}, "secrte"),
        ({"name": "a\x00b"}, "name"),  # PostgreSQL text cannot hold a NUL
        ({"secret": "a\ud800b"}, "secret"),  # nor a lone surrogate
    ],
)
def test_invalid_pages_are_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        PageCreate.model_validate({**TG, **changes})


def test_a_refused_credential_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as caught:
        PageCreate.model_validate({**TG, "platform": "ok", "url_token": "short-secret-token"})

    assert "short-secret-token" not in str(caught.value)


def test_an_update_keeps_what_it_does_not_send_and_clears_what_it_sends_as_null() -> None:
    page = PageCreate.model_validate(TG).to_page()

    result = updated(page, PageUpdate.model_validate({"name": "Новое", "territory": None}))

    assert (result.name, result.territory, result.secret) == ("Новое", None, "tg-secret")


def test_an_update_that_leaves_a_page_without_a_required_credential_is_refused() -> None:
    page = PageCreate.model_validate(TG).to_page()

    with pytest.raises(ValidationError, match="needs secret"):
        updated(page, PageUpdate.model_validate({"secret": None}))


@pytest.mark.parametrize("field", ["name", "body_id", "external_id"])
def test_an_update_cannot_clear_a_required_field(field: str) -> None:
    with pytest.raises(ValidationError, match="cannot be cleared"):
        PageUpdate.model_validate({field: None})


def test_an_update_cannot_change_the_platform_or_the_id() -> None:
    with pytest.raises(ValidationError):
        PageUpdate.model_validate({"platform": "vk"})
    with pytest.raises(ValidationError):
        PageUpdate.model_validate({"id": "other"})


def test_an_update_with_a_nul_is_refused() -> None:
    with pytest.raises(ValidationError, match="NUL"):
        PageUpdate.model_validate({"body_id": "b\x00"})
