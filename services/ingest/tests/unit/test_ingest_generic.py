"""The generic appeal format: what `AppealCreate` refuses and how it becomes an appeal."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from appeals_common.events import AppealKind, Platform
from ingest.domain import generic
from ingest.domain.normalise import appeal_id, author_key
from ingest.domain.pages import Page

MSK = timezone(timedelta(hours=3))
PAGE = Page(
    id="site-test",
    platform=Platform.API,
    external_id="site-test",
    body_id="adm-test",
    name="Форма обращений (тест)",
)
VALID: dict[str, Any] = {
    "page_id": "site-test",
    "external_id": "form-2024-000123",
    "kind": "private_message",
    "author_id": "citizen-77",
    "text": "Во дворе дома 5 по ул. Ленина третий  день не вывозят мусор",
    "written_at": "2024-11-23T09:15:00+03:00",
}
RECEIVED_AT = datetime(2024, 11, 23, 6, 20, tzinfo=UTC)


def test_a_valid_appeal_is_accepted_and_its_time_kept_in_utc() -> None:
    appeal_in = generic.AppealCreate.model_validate(VALID)

    assert appeal_in.kind == AppealKind.PRIVATE_MESSAGE
    assert appeal_in.written_at == datetime(2024, 11, 23, 9, 15, tzinfo=MSK)
    assert appeal_in.written_at.utcoffset() == timedelta(0)
    assert appeal_in.permalink is None


def test_kind_defaults_to_private_message() -> None:
    data = {k: v for k, v in VALID.items() if k != "kind"}

    assert generic.AppealCreate.model_validate(data).kind == AppealKind.PRIVATE_MESSAGE


def test_the_documented_example_is_valid() -> None:
    schema = generic.AppealCreate.model_json_schema()

    for example in schema["examples"]:
        assert generic.AppealCreate.model_validate(example).page_id == "site-ivanovo"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"priority": "high"}, "priority"),
        ({"written_at": "2024-11-23T09:15:00"}, "written_at"),
        ({"written_at": "2015-06-01T12:00:00+03:00"}, "written_at"),
        ({"written_at": "2021-12-31T23:59:59+00:00"}, "written_at"),
        ({"text": ""}, "text"),
        ({"text": "a" * 50_001}, "text"),
        ({"page_id": ""}, "page_id"),
        ({"author_id": ""}, "author_id"),
        ({"external_id": ""}, "external_id"),
        ({"kind": "telegram_story"}, "kind"),
    ],
    ids=[
        "extra-field",
        "naive-datetime",
        "written-in-2015",
        "before-2022",
        "empty-text",
        "text-too-long",
        "empty-page",
        "empty-author",
        "empty-external-id",
        "unknown-kind",
    ],
)
def test_invalid_appeals_are_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        generic.AppealCreate.model_validate({**VALID, **changes})

    assert [error["loc"] for error in caught.value.errors()] == [(field,)]


def test_an_appeal_written_next_year_is_refused() -> None:
    next_year = datetime.now(UTC) + timedelta(days=366)

    with pytest.raises(ValidationError, match="written_at must be between 2022-01-01 and now"):
        generic.AppealCreate.model_validate({**VALID, "written_at": next_year.isoformat()})


@pytest.mark.parametrize("blank", ["   ", "\n\t \n", "\u200b\u00ad"])
def test_a_text_with_nothing_readable_is_refused(blank: str) -> None:
    # clean_text would turn it into an empty appeal
    with pytest.raises(ValidationError):
        generic.AppealCreate.model_validate({**VALID, "text": blank})


def test_to_appeal_normalises_a_generic_appeal() -> None:
    appeal_in = generic.AppealCreate.model_validate(
        {**VALID, "permalink": "https://ivanovo.example/appeals/123"}
    )

    appeal = generic.to_appeal(appeal_in, PAGE, salt="s", received_at=RECEIVED_AT)

    assert appeal.appeal_id == appeal_id(
        Platform.API, "site-test", AppealKind.PRIVATE_MESSAGE, "form-2024-000123"
    )
    assert appeal.platform == Platform.API
    assert appeal.kind == AppealKind.PRIVATE_MESSAGE
    assert appeal.page_id == "site-test"
    assert appeal.body_id == "adm-test"
    assert appeal.external_id == "form-2024-000123"
    assert appeal.permalink == "https://ivanovo.example/appeals/123"
    assert appeal.author.platform_id == "citizen-77"
    assert appeal.author.key == author_key("s", Platform.API, "citizen-77")
    assert appeal.text == "Во дворе дома 5 по ул. Ленина третий день не вывозят мусор"
    assert appeal.written_at == datetime(2024, 11, 23, 6, 15, tzinfo=UTC)
    assert appeal.received_at == RECEIVED_AT


def test_the_same_source_object_sent_twice_is_the_same_appeal() -> None:
    first = generic.AppealCreate.model_validate(VALID)
    again = generic.AppealCreate.model_validate({**VALID, "text": "исправленный текст"})

    assert (
        generic.to_appeal(first, PAGE, salt="s", received_at=RECEIVED_AT).appeal_id
        == generic.to_appeal(again, PAGE, salt="s", received_at=RECEIVED_AT).appeal_id
    )
