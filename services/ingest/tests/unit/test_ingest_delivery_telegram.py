"""Telegram answers decided without I/O: the sendMessage request for an appeal, the Bot API's
answers as the reply ingest's own dispatch would key, and its errors as SendError."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from appeals_common.events import AppealAnswered, AppealKind, DeliveryFailure, Platform
from ingest.domain import telegram as telegram_updates
from ingest.domain.delivery import telegram
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.normalise import appeal_id, response_id
from ingest.domain.outcomes import Emit
from ingest.domain.pages import Page

CHANNEL, GROUP, BOT = "-1001111111111", -1002222222222, 7000000001
PAGE = Page(
    "tg-adm-test",
    Platform.TELEGRAM,
    CHANNEL,
    "adm-test",
    "Администрация (Telegram)",
    secret="tg-secret",
    bot_id=str(BOT),
    discussion_id=str(GROUP),
)


def outgoing(external_id: str, kind: AppealKind = AppealKind.COMMENT) -> Outgoing:
    return Outgoing(uuid.uuid4(), Platform.TELEGRAM, kind, external_id, "333333333", "Ответ")


def sent(chat: dict[str, Any], message_id: int = 905) -> dict[str, Any]:
    return {"ok": True, "result": {"message_id": message_id, "date": 1, "chat": chat, "text": "x"}}


def test_a_comment_is_answered_in_the_discussion_group_as_a_reply() -> None:
    call = telegram.plan(outgoing(f"chat{GROUP}/901"))

    assert call.chat_id == GROUP
    assert call.payload == {
        "chat_id": GROUP,
        "text": "Ответ",
        "reply_parameters": {"message_id": 901, "allow_sending_without_reply": False},
    }


def test_a_private_message_is_answered_in_the_same_private_chat() -> None:
    call = telegram.plan(outgoing("chat333333333/17", AppealKind.PRIVATE_MESSAGE))

    assert call.chat_id == 333333333
    assert call.payload["chat_id"] == 333333333
    assert call.payload["reply_parameters"]["message_id"] == 17


def test_the_text_goes_as_plain_text() -> None:
    assert "parse_mode" not in telegram.plan(outgoing(f"chat{GROUP}/901")).payload


@pytest.mark.parametrize(
    "external_id",
    ["", "chat-100", "chat-100/", "chat-100/5/6", "msg111/4", "wall-1_2/3", "chatx/5", "chat-1/٥"],
)
def test_an_unreadable_key_is_unsupported(external_id: str) -> None:
    with pytest.raises(SendError) as caught:
        telegram.plan(outgoing(external_id))

    assert caught.value.reason is DeliveryFailure.UNSUPPORTED


def test_the_sent_message_is_keyed_like_ingest_keys_messages() -> None:
    posted = telegram.read_answer(200, sent({"id": GROUP, "type": "supergroup"}))

    assert posted == Posted(f"chat{GROUP}/905", None)


def test_a_public_group_gives_a_link_to_the_reply() -> None:
    chat = {"id": GROUP, "type": "supergroup", "username": "gorod_chat"}

    assert telegram.read_answer(200, sent(chat)).reply_url == "https://t.me/gorod_chat/905"


def test_a_private_chat_has_no_link_even_with_a_username() -> None:
    chat = {"id": 333333333, "type": "private", "username": "maria"}

    assert telegram.read_answer(200, sent(chat)).reply_url is None


def test_ingest_reads_the_bots_reply_as_the_answer_it_recorded() -> None:
    posted = telegram.read_answer(200, sent({"id": GROUP, "type": "supergroup"}))
    chat = {"id": GROUP, "type": "supergroup"}
    replied = {"message_id": 901, "date": 1719900100, "chat": chat, "from": {"id": 333333333}}
    message = {"message_id": 905, "date": 1719900600, "chat": chat, "text": "Ответ"}
    message |= {"from": {"id": BOT, "is_bot": True}, "reply_to_message": replied}

    update = telegram_updates.parse_update({"update_id": 1, "message": message})
    result = telegram_updates.to_outcome(
        update, PAGE, salt="s", received_at=datetime(2024, 7, 2, tzinfo=UTC)
    )

    assert isinstance(result, Emit) and isinstance(result.payload, AppealAnswered)
    key = f"chat{GROUP}/901"
    assert result.payload.appeal_id == appeal_id(
        Platform.TELEGRAM, CHANNEL, AppealKind.COMMENT, key
    )
    assert result.payload.response_id == response_id(Platform.TELEGRAM, CHANNEL, posted.reply_id)


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"ok": True},
        {"ok": True, "result": {"message_id": 905}},
        {"ok": True, "result": {"chat": {"id": GROUP}}},
        {"ok": True, "result": {"message_id": "905", "chat": {"id": GROUP}}},
    ],
)
def test_a_success_that_does_not_say_what_was_posted_needs_a_person(body: object) -> None:
    with pytest.raises(SendError) as caught:
        telegram.read_answer(200, body)

    assert caught.value.reason is DeliveryFailure.OUTCOME_UNKNOWN
    assert caught.value.maybe_posted and not caught.value.retryable


def error_of(status: int, description: str, **extra: Any) -> SendError:
    body = {"ok": False, "error_code": status, "description": description, **extra}
    with pytest.raises(SendError) as caught:
        telegram.read_answer(status, body)
    return caught.value


F = DeliveryFailure


@pytest.mark.parametrize(
    ("status", "description", "reason"),
    [
        (401, "Unauthorized", F.INVALID_TOKEN),
        (404, "Not Found", F.INVALID_TOKEN),
        (403, "Forbidden: bot was blocked by the user", F.BLOCKED_BY_USER),
        (403, "Forbidden: user is deactivated", F.TARGET_DELETED),
        (403, "Forbidden: bot was kicked from the supergroup chat", F.ACCESS_DENIED),
        (403, "Forbidden: bot is not a member of the supergroup chat", F.ACCESS_DENIED),
        (400, "Bad Request: message to be replied not found", F.TARGET_DELETED),
        (400, "Bad Request: reply message not found", F.TARGET_DELETED),
        (400, "Bad Request: chat not found", F.ACCESS_DENIED),
        (400, "Bad Request: not enough rights to send text messages to the chat", F.ACCESS_DENIED),
        (400, "Bad Request: message is too long", F.TOO_LONG),
        (400, "Bad Request: message text is empty", F.PLATFORM_ERROR),
        (409, "Conflict", F.PLATFORM_ERROR),
    ],
)
def test_errors_that_trying_again_will_not_fix(
    status: int, description: str, reason: DeliveryFailure
) -> None:
    error = error_of(status, description)

    assert (error.reason, error.retryable, error.maybe_posted) == (reason, False, False)
    assert error.detail == f"Telegram error {status}: {description}"


def test_too_many_requests_says_how_long_to_wait() -> None:
    error = error_of(429, "Too Many Requests: retry after 7", parameters={"retry_after": 7})

    assert (error.reason, error.retryable, error.retry_after_s) == (F.RATE_LIMITED, True, 7.0)


@pytest.mark.parametrize("parameters", [None, {}, {"retry_after": "7"}, {"retry_after": -1}])
def test_too_many_requests_without_a_usable_wait_waits_the_default(parameters: object) -> None:
    error = error_of(429, "Too Many Requests", parameters=parameters)

    assert error.retry_after_s == telegram.DEFAULT_RETRY_AFTER_S


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}),
        (502, None),  # the front's HTML page
        (503, {"ok": True}),
    ],
)
def test_server_errors_may_be_retried_and_posted_nothing(status: int, body: object) -> None:
    with pytest.raises(SendError) as caught:
        telegram.read_answer(status, body)

    error = caught.value
    assert (error.reason, error.retryable, error.maybe_posted) == (F.PLATFORM_ERROR, True, False)
    assert str(status) in error.detail


@pytest.mark.parametrize(("status", "reason"), [(429, F.RATE_LIMITED), (401, F.INVALID_TOKEN)])
def test_an_error_status_without_a_body_still_says_what_it_is(
    status: int, reason: DeliveryFailure
) -> None:
    with pytest.raises(SendError) as caught:
        telegram.read_answer(status, None)

    assert caught.value.reason is reason
