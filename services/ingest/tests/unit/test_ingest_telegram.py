"""Telegram updates (fixtures written from the Bot API spec, placeholder ids) to what we publish."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from appeals_common.events import (
    AppealAnswered,
    AppealKind,
    AppealReceived,
    AppealThread,
    Attachment,
    GeoPoint,
    Platform,
    ResponseChannel,
)
from ingest.domain import telegram
from ingest.domain.normalise import appeal_id, author_key, response_id
from ingest.domain.outcomes import Emit, Ignored, Outcome
from ingest.domain.pages import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
SALT = "test-salt"
RECEIVED_AT = datetime(2024, 7, 2, 6, 30, tzinfo=UTC)
CHANNEL, GROUP = "-1001111111111", "-1002222222222"
PAGE = Page(
    "tg-adm-test",
    Platform.TELEGRAM,
    CHANNEL,
    "adm-test",
    "Администрация (Telegram)",
    secret="tg-secret",
    bot_id="7000000001",
    discussion_id=GROUP,
)


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def outcome(body: dict[str, Any]) -> Outcome:
    update = telegram.parse_update(body)
    return telegram.to_outcome(update, PAGE, salt=SALT, received_at=RECEIVED_AT)


def emitted(body: dict[str, Any]) -> Emit:
    result = outcome(body)
    assert isinstance(result, Emit), result
    return result


def tg_appeal_id(kind: AppealKind, key: str) -> uuid.UUID:
    return appeal_id(Platform.TELEGRAM, CHANNEL, kind, key)


COMMENT_901 = tg_appeal_id(AppealKind.COMMENT, f"chat{GROUP}/901")


@pytest.mark.parametrize(
    ("name", "payload_type", "appeal"),
    [
        ("private_message", AppealReceived, ("private_message", "chat111111111/10")),
        ("private_message_edited", AppealReceived, ("private_message", "chat111111111/10")),
        ("private_photo_with_location", AppealReceived, ("private_message", "chat111111111/11")),
        ("comment", AppealReceived, ("comment", f"chat{GROUP}/901")),
        ("comment_edited", AppealReceived, ("comment", f"chat{GROUP}/901")),
        ("comment_reply", AppealReceived, ("comment", f"chat{GROUP}/902")),
        ("comment_as_channel", AppealReceived, ("comment", f"chat{GROUP}/903")),
        ("page_reply_as_channel", AppealAnswered, ("comment", f"chat{GROUP}/901")),
        ("page_reply_by_bot", AppealAnswered, ("comment", f"chat{GROUP}/901")),
        ("page_reply_anonymous_admin", AppealAnswered, ("comment", f"chat{GROUP}/901")),
    ],
)
def test_updates_that_publish(name: str, payload_type: type, appeal: tuple[str, str]) -> None:
    result = emitted(fixture(name))

    assert type(result.payload) is payload_type
    assert result.payload.appeal_id == tg_appeal_id(AppealKind(appeal[0]), appeal[1])


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("channel_post", "the channel's own post"),
        ("edited_channel_post", "the channel's own post"),
        ("automatic_forward", "the channel's post forwarded to its discussion group"),
        ("other_group", "chat is not the page's"),
        ("my_chat_member", "update my_chat_member is not processed"),
    ],
)
def test_updates_that_are_only_acknowledged(name: str, reason: str) -> None:
    assert outcome(fixture(name)) == Ignored(reason)


def test_a_private_message_is_a_cleaned_private_appeal() -> None:
    result = emitted(fixture("private_message"))
    appeal = result.payload
    assert isinstance(appeal, AppealReceived)

    assert (appeal.platform, appeal.kind, appeal.page_id) == (
        Platform.TELEGRAM,
        AppealKind.PRIVATE_MESSAGE,
        "tg-adm-test",
    )
    assert appeal.text == "Не вывозят мусор"
    assert appeal.author.platform_id == "111111111"
    assert appeal.author.key == author_key(SALT, Platform.TELEGRAM, "111111111")
    assert appeal.written_at == datetime(2024, 7, 2, 6, 0, tzinfo=UTC)
    assert (appeal.thread, appeal.permalink, appeal.revision) == (None, None, 0)
    assert result.event_id == uuid.uuid5(appeal.appeal_id, "received")


def test_a_photo_with_a_caption_and_a_venue_keeps_them() -> None:
    appeal = emitted(fixture("private_photo_with_location")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.text == "Вот эта яма"
    assert appeal.attachments == (Attachment(type="photo", ref="AgAD-large"),)
    assert appeal.geo == GeoPoint(latitude=56.9972, longitude=40.9714, place="ул. Ленина, 5")


def test_an_edited_message_is_a_revision_at_its_edit_date_keyed_by_update_id() -> None:
    original = emitted(fixture("private_message"))
    edit = emitted(fixture("private_message_edited"))
    next_edit = emitted({**fixture("private_message_edited"), "update_id": 100000099})
    assert isinstance(edit.payload, AppealReceived)

    assert edit.payload.revision == 1_719_900_300_000
    assert edit.payload.edited_at == datetime(2024, 7, 2, 6, 5, tzinfo=UTC)
    assert edit.payload.text == "Не вывозят мусор третий день"
    assert edit.event_id == emitted(fixture("private_message_edited")).event_id
    assert len({original.event_id, edit.event_id, next_edit.event_id}) == 3


def test_a_comment_under_a_channel_post_links_to_the_post() -> None:
    appeal = emitted(fixture("comment")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.kind == AppealKind.COMMENT
    assert appeal.external_id == f"chat{GROUP}/901"
    assert appeal.thread == AppealThread(
        post_id="55", post_permalink="https://t.me/gorod_adm/55", reply_to_id=None
    )
    assert appeal.permalink == "https://t.me/gorod_adm/55?comment=901"
    assert appeal.author.platform_id == "333333333"


def test_a_comment_under_a_private_channel_links_by_channel_id() -> None:
    body = fixture("comment")
    del body["message"]["reply_to_message"]["forward_origin"]["chat"]["username"]

    appeal = emitted(body).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.thread is not None
    assert appeal.thread.post_permalink == "https://t.me/c/1111111111/55"


def test_a_reply_to_a_comment_names_the_comment_it_replies_to() -> None:
    appeal = emitted(fixture("comment_reply")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.thread == AppealThread(reply_to_id="901")
    assert appeal.permalink is None


def test_a_comment_posted_as_another_channel_is_authored_by_that_channel() -> None:
    appeal = emitted(fixture("comment_as_channel")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.author.platform_id == "-1003333333333"


@pytest.mark.parametrize(
    "name", ["page_reply_as_channel", "page_reply_by_bot", "page_reply_anonymous_admin"]
)
def test_the_pages_reply_answers_the_comment_with_a_deterministic_response_id(name: str) -> None:
    result = emitted(fixture(name))
    message_id = fixture(name)["message"]["message_id"]
    expected = response_id(Platform.TELEGRAM, CHANNEL, f"chat{GROUP}/{message_id}")

    assert result.payload == AppealAnswered(
        appeal_id=COMMENT_901,
        response_id=expected,
        agency_id=None,
        channel=ResponseChannel.PLATFORM,
        answered_at=datetime(2024, 7, 2, 6, 10, tzinfo=UTC),
    )
    assert result.event_id == expected


def test_the_pages_message_that_replies_to_no_comment_is_ignored() -> None:
    body = fixture("page_reply_as_channel")
    del body["message"]["reply_to_message"]

    assert outcome(body) == Ignored("message by the page that answers no comment")


def test_an_edit_of_the_pages_reply_is_ignored() -> None:
    body = fixture("page_reply_as_channel")
    body["edited_message"] = {**body.pop("message"), "edit_date": 1719900700}

    assert outcome(body) == Ignored("edit of the page's own message")


def test_a_private_message_from_a_bot_is_ignored() -> None:
    body = fixture("private_message")
    body["message"]["from"]["is_bot"] = True

    assert outcome(body) == Ignored("message by a bot")


def test_a_sticker_without_text_is_an_appeal_with_an_attachment() -> None:
    body = fixture("private_message")
    del body["message"]["text"]
    body["message"]["sticker"] = {"file_id": "CAAC-1", "file_unique_id": "u1", "type": "regular"}

    appeal = emitted(body).payload
    assert isinstance(appeal, AppealReceived)

    assert (appeal.text, appeal.attachments) == ("", (Attachment(type="sticker", ref="CAAC-1"),))


def test_a_message_with_nothing_in_it_is_ignored() -> None:
    body = fixture("private_message")
    body["message"]["text"] = " \u200b "

    assert outcome(body) == Ignored("nothing readable or attached")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, "update_id"),
        ({"update_id": "x"}, "update_id"),
        ({"update_id": -1}, "update_id"),
        ({"update_id": 1, "message": {"message_id": 1}}, "message.date"),
        ({"update_id": 1, "message": "text"}, "message"),
        ([], "body"),
    ],
)
def test_malformed_updates_are_payload_errors(body: object, where: str) -> None:
    with pytest.raises(telegram.TelegramPayloadError, match=f"^{where}"):
        telegram.parse_update(body)


@pytest.mark.parametrize(
    ("field", "value"),
    [("date", 1.5e9), ("date", 32503680000), ("date", True), ("text", ["a"]), ("chat", None)],
)
def test_wrong_types_and_absurd_times_in_a_message_are_payload_errors(
    field: str, value: object
) -> None:
    body = fixture("private_message")
    body["message"][field] = value

    with pytest.raises(telegram.TelegramPayloadError, match=f"^message.{field}"):
        telegram.parse_update(body)


def test_update_kinds_are_labels_from_a_fixed_set() -> None:
    assert telegram.update_kind(telegram.parse_update(fixture("comment"))) == "message"
    assert telegram.update_kind(telegram.parse_update({"update_id": 1, "x" * 50: {}})) == "other"
