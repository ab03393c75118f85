"""Polling credentials in the page registry: all of a platform's or none, only on OK and MAX
pages, masked in the admin API's answers and kept out of `repr`."""

from typing import Any

import pytest
from pydantic import ValidationError

from ingest.domain.page_fields import PageCreate, PageUpdate, updated
from ingest.domain.page_views import SecretRead, page_read

OK: dict[str, Any] = {
    "id": "ok-poll",
    "platform": "ok",
    "external_id": "5001",
    "body_id": "adm-test",
    "name": "ОК",
    "url_token": "u" * 32,
}
OK_KEYS = {
    "ok_application_key": "CBAPPKEY0001",
    "ok_access_token": "tkn-ok-access-token-0001",
    "ok_session_secret": "session-secret-0000-0001",
}
MAX: dict[str, Any] = {
    "id": "max-poll",
    "platform": "max",
    "external_id": "-70",
    "body_id": "adm-test",
    "name": "MAX",
    "secret": "webhook-secret",
    "bot_id": "7000",
}


def test_pages_with_polling_credentials_are_polled_and_others_are_not() -> None:
    assert PageCreate.model_validate({**OK, **OK_KEYS}).to_page().polled
    assert PageCreate.model_validate({**MAX, "max_bot_token": "bot-token"}).to_page().polled
    assert not PageCreate.model_validate(OK).to_page().polled
    assert not PageCreate.model_validate(MAX).to_page().polled


@pytest.mark.parametrize(
    ("page", "changes", "message"),
    [
        (OK, {"ok_access_token": "only-one"}, "all of"),
        (OK, {"max_bot_token": "bot-token"}, "has no"),
        (MAX, OK_KEYS, "has no"),
        (MAX, {"max_bot_token": "has space"}, "max_bot_token"),
    ],
)
def test_misfit_polling_credentials_are_refused_without_echo(
    page: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        PageCreate.model_validate({**page, **changes})

    assert "only-one" not in str(caught.value)
    assert "tkn-ok-access-token-0001" not in str(caught.value)


def test_polling_can_be_switched_off_by_clearing_the_credentials() -> None:
    page = PageCreate.model_validate({**MAX, "max_bot_token": "bot-token"}).to_page()

    assert not updated(page, PageUpdate(max_bot_token=None)).to_page().polled


def test_polling_credentials_are_masked_and_out_of_repr() -> None:
    page = PageCreate.model_validate({**OK, **OK_KEYS}).to_page()
    shown = page_read(page)

    for value in OK_KEYS.values():
        assert value not in shown.model_dump_json()
        assert value not in repr(page)
    assert shown.ok_access_token == SecretRead(set=True, last4="0001")
    assert shown.max_bot_token == SecretRead(set=False)
