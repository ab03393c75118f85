"""MAX updates (fixtures written from the MAX Bot API schema and stabs) to what we publish."""

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
    AppealWithdrawn,
    Attachment,
    GeoPoint,
    Platform,
    ResponseChannel,
)
from ingest.domain import max_bot
from ingest.domain.normalise import message_appeal_id, response_id
from ingest.domain.outcomes import Emit, Ignored, Outcome
from ingest.domain.pages import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "max"
SALT = "test-salt"
RECEIVED_AT = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
CHANNEL = "-70801090403050"
PAGE = Page(
    "max-adm-test",
    Platform.MAX,
    CHANNEL,
    "adm-test",
    "Администрация (MAX)",
    secret="s",
    bot_id="229229229",
)
FIRST = "mid.ffffbdb48e6c3775019d496b34394b84"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def outcome(body: dict[str, Any]) -> Outcome:
    update = max_bot.parse_update(body)
    return max_bot.to_outcome(update, PAGE, salt=SALT, received_at=RECEIVED_AT)


def emitted(body: dict[str, Any]) -> Emit:
    result = outcome(body)
    assert isinstance(result, Emit), result
    return result


def max_appeal_id(mid: str) -> uuid.UUID:
    return message_appeal_id(Platform.MAX, CHANNEL, mid)


def ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


@pytest.mark.parametrize(
    ("name", "payload_type", "mid"),
    [
        ("message_created_dialog", AppealReceived, FIRST),
        ("message_created_chat_reply", AppealReceived, "mid.ffffbdb48e6c3775019d496b34394b85"),
        (
            "message_created_with_attachments",
            AppealReceived,
            "mid.ffffbdb48e6c3775019d496b34394b86",
        ),
        ("message_edited_dialog", AppealReceived, FIRST),
        ("message_removed", AppealWithdrawn, FIRST),
        ("message_created_page_reply", AppealAnswered, FIRST),
    ],
)
def test_updates_that_publish(name: str, payload_type: type, mid: str) -> None:
    result = emitted(fixture(name))

    assert type(result.payload) is payload_type
    assert result.payload.appeal_id == max_appeal_id(mid)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("message_created_channel_post", "message by the page that answers no message"),
        ("bot_started", "update bot_started is not processed"),
        ("bot_added", "update bot_added is not processed"),
        ("message_callback", "update message_callback is not processed"),
    ],
)
def test_updates_that_are_only_acknowledged(name: str, reason: str) -> None:
    assert outcome(fixture(name)) == Ignored(reason)


def test_a_dialog_message_is_a_private_appeal_in_utc_from_milliseconds() -> None:
    result = emitted(fixture("message_created_dialog"))
    appeal = result.payload
    assert isinstance(appeal, AppealReceived)

    assert (appeal.platform, appeal.kind, appeal.page_id) == (
        Platform.MAX,
        AppealKind.PRIVATE_MESSAGE,
        "max-adm-test",
    )
    assert appeal.external_id == FIRST
    assert appeal.text == "Добрый день! Не работает уличное освещение на ул. Ленина"
    assert appeal.author.platform_id == "123456789"
    assert appeal.written_at == datetime(2026, 4, 1, 14, 20, 55, 737000, tzinfo=UTC)
    assert result.event_id == uuid.uuid5(appeal.appeal_id, "received")


def test_a_chat_message_is_a_comment_naming_the_message_it_replies_to() -> None:
    appeal = emitted(fixture("message_created_chat_reply")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.kind == AppealKind.COMMENT
    assert appeal.thread == AppealThread(reply_to_id="mid.ffffbdb48e6c3775019d496b34394b80")


def test_an_image_and_a_location_are_summarised() -> None:
    appeal = emitted(fixture("message_created_with_attachments")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.text == ""
    assert appeal.attachments == (
        Attachment(type="image", url="https://i.oneme.ru/i?r=AAA", ref="4567890123"),
    )
    assert appeal.geo == GeoPoint(latitude=56.9972, longitude=40.9714)


def test_an_edit_is_a_revision_at_the_update_time_to_the_millisecond() -> None:
    original = emitted(fixture("message_created_dialog"))
    edit = emitted(fixture("message_edited_dialog"))
    assert isinstance(edit.payload, AppealReceived)

    assert edit.payload.revision == 1775053555800
    assert edit.payload.edited_at == ms(1775053555800)
    assert edit.event_id != original.event_id
    assert edit.event_id == emitted(fixture("message_edited_dialog")).event_id
    later = {**fixture("message_edited_dialog"), "timestamp": 1775053555801}
    assert emitted(later).event_id not in {edit.event_id, original.event_id}


def test_a_removed_message_is_withdrawn_by_its_remover() -> None:
    result = emitted(fixture("message_removed"))

    assert result.payload == AppealWithdrawn(
        appeal_id=max_appeal_id(FIRST),
        platform=Platform.MAX,
        page_id="max-adm-test",
        external_id=FIRST,
        deleted_by="123456789",
        withdrawn_at=ms(1775053655800),
    )


def test_the_bots_reply_answers_the_message_it_replies_to() -> None:
    result = emitted(fixture("message_created_page_reply"))
    expected = response_id(Platform.MAX, CHANNEL, "mid.ffffbdb48e6c3775019d496b34394b90")

    assert result.payload == AppealAnswered(
        appeal_id=max_appeal_id(FIRST),
        response_id=expected,
        agency_id=None,
        channel=ResponseChannel.PLATFORM,
        answered_at=ms(1775054255737),
    )
    assert result.event_id == expected


def test_an_edit_of_the_bots_reply_is_ignored() -> None:
    body = {**fixture("message_created_page_reply"), "update_type": "message_edited"}

    assert outcome(body) == Ignored("edit of the page's own message")


def test_a_message_by_another_bot_is_ignored() -> None:
    body = fixture("message_created_dialog")
    body["message"]["sender"]["is_bot"] = True

    assert outcome(body) == Ignored("message by a bot")


@pytest.mark.parametrize("seq", [116327994376978687, "116327994376978687", 2**63 - 1])
def test_seq_is_kept_exact(seq: int | str) -> None:
    body = fixture("message_created_dialog")
    body["message"]["body"]["seq"] = seq

    update = max_bot.parse_update(body)

    assert update.message is not None
    assert update.message.body.seq == str(seq)


def test_seq_survives_the_json_text_exactly() -> None:
    raw = (FIXTURES / "message_created_dialog.json").read_text(encoding="utf-8")

    update = max_bot.parse_update(json.loads(raw))

    assert update.message is not None
    assert update.message.body.seq == "116327994376978687"


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("seq", 1.1632799437697869e17),
        ("seq", "1e17"),
        ("seq", True),
        ("mid", ""),
        ("text", 5),
    ],
)
def test_a_body_with_a_lossy_or_wrong_field_is_a_payload_error(where: str, value: object) -> None:
    body = fixture("message_created_dialog")
    body["message"]["body"][where] = value

    with pytest.raises(max_bot.MaxPayloadError, match=f"^message.body.{where}"):
        max_bot.parse_update(body)


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"timestamp": 1775053255}, "timestamp"),  # seconds, not milliseconds: 1970
        ({"timestamp": 10**20}, "timestamp"),
        ({"timestamp": "1775053255800"}, "timestamp"),
        ({"update_type": ""}, "update_type"),
        ({"message": {"body": {"mid": "m"}}}, "message.recipient"),
    ],
)
def test_malformed_updates_are_payload_errors(changes: dict[str, Any], where: str) -> None:
    with pytest.raises(max_bot.MaxPayloadError, match=f"^{where}"):
        max_bot.parse_update({**fixture("message_created_dialog"), **changes})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"update_type": "message_created", "timestamp": 1775053255800}, "message: required"),
        ({"update_type": "message_removed", "timestamp": 1775053255800}, "message_id: required"),
    ],
)
def test_updates_missing_what_their_type_needs_are_payload_errors(
    body: dict[str, Any], message: str
) -> None:
    with pytest.raises(max_bot.MaxPayloadError, match=message):
        outcome(body)


def test_type_labels_are_documented_types_or_other() -> None:
    assert max_bot.type_label("message_created") == "message_created"
    assert max_bot.type_label("x" * 60) == "other"
