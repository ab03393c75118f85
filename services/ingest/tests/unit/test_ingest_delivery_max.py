"""Answering on MAX, decided without I/O: the target of each kind of appeal, the requests, the
reply id as ingest itself keys the reply when it sees it again, and every error's meaning."""

import uuid
from datetime import UTC, datetime

import pytest

from appeals_common.events import AppealAnswered, AppealKind, DeliveryFailure, Platform
from ingest.domain import emit, max_bot
from ingest.domain.delivery import max as max_reply
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.normalise import message_appeal_id, response_id
from ingest.domain.outcomes import Emit
from ingest.domain.pages import Page
from ingest.domain.polling import max_api
from ingest.domain.polling.cursor import Cursor
from ingest.domain.polling.decide import decide
from ingest.domain.polling.fetched import Fetched, FetchedComment, FetchedPost

CHANNEL = "-70801090403050"
BOT = "229229229"
PAGE = Page("max-adm", Platform.MAX, CHANNEL, "adm", "Администрация", secret="s", bot_id=BOT)
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
RESIDENT_MID = "mid.ffffbdb48e6c3775019d496b34394b84"
POST_MID = "mid.0000000000000000019d496b34394b00"
COMMENT_MID = "mid.1111111111111111019d496b34394b11"
NEW_MID = "mid.2222222222222222019d496b34394b22"
F = DeliveryFailure


def outgoing(external_id: str, kind: AppealKind, author: str = "123456789") -> Outgoing:
    return Outgoing(uuid.uuid4(), Platform.MAX, kind, external_id, author, "Ответ ведомства")


DIALOG = outgoing(RESIDENT_MID, AppealKind.PRIVATE_MESSAGE)
GROUP_CHAT = outgoing(RESIDENT_MID, AppealKind.COMMENT)
COMMENT = outgoing(f"post{POST_MID}/{COMMENT_MID}", AppealKind.COMMENT)


def sent(mid: str = NEW_MID, url: str | None = None) -> dict[str, object]:
    return {"message": {"recipient": {"chat_type": "chat"}, "body": {"mid": mid}, "url": url}}


# --- targets -------------------------------------------------------------------------------


def test_a_dialog_message_is_answered_to_its_author_with_a_reply_link() -> None:
    target = max_reply.target(DIALOG)
    request = max_reply.send(target, "Ответ")

    assert target == max_reply.Target(RESIDENT_MID, user_id=123456789)
    assert not target.needs_chat
    assert request.path == "/messages"
    assert request.params == {"user_id": "123456789"}
    assert request.body == {"text": "Ответ", "link": {"type": "reply", "mid": RESIDENT_MID}}


def test_a_group_chat_message_is_looked_up_then_answered_in_its_chat() -> None:
    target = max_reply.target(GROUP_CHAT)

    assert target.needs_chat
    assert max_reply.lookup(target).path == f"/messages/{RESIDENT_MID}"
    read = {"recipient": {"chat_id": -7080, "chat_type": "chat"}, "body": {"mid": RESIDENT_MID}}
    request = max_reply.send(target, "Ответ", max_reply.chat_of(read))
    assert request.params == {"chat_id": "-7080"}
    assert request.body is not None
    assert request.body["link"] == {"type": "reply", "mid": RESIDENT_MID}


def test_a_group_chat_reply_is_not_built_without_its_chat() -> None:
    with pytest.raises(ValueError, match="look it up"):
        max_reply.send(max_reply.target(GROUP_CHAT), "Ответ")


def test_a_comment_under_a_post_is_answered_with_a_comment_replying_to_it() -> None:
    target = max_reply.target(COMMENT)
    request = max_reply.send(target, "Ответ")

    assert target == max_reply.Target(COMMENT_MID, post_id=POST_MID)
    assert request.path == f"/messages/{POST_MID}/comments"
    assert request.params == {}
    assert request.body == {"text": "Ответ", "link": {"type": "reply", "mid": COMMENT_MID}}


def test_no_markup_format_is_asked_for_so_the_text_is_posted_as_written() -> None:
    body = max_reply.send(max_reply.target(DIALOG), "*не курсив*").body
    assert body is not None
    assert "format" not in body


@pytest.mark.parametrize(
    ("external_id", "kind", "author"),
    [
        ("", AppealKind.PRIVATE_MESSAGE, "1"),
        ("mid.x/y", AppealKind.PRIVATE_MESSAGE, "1"),  # a slash is no mid
        (RESIDENT_MID, AppealKind.PRIVATE_MESSAGE, "user:1"),  # no numeric author to write to
        (RESIDENT_MID, AppealKind.PRIVATE_MESSAGE, "0"),
        (RESIDENT_MID, AppealKind.SUGGESTED_POST, "1"),
        (f"post{POST_MID}/", AppealKind.COMMENT, "1"),
        (f"post/{COMMENT_MID}", AppealKind.COMMENT, "1"),
        (f"post{POST_MID}/{COMMENT_MID}", AppealKind.PRIVATE_MESSAGE, "1"),
        ("mid. with space", AppealKind.COMMENT, "1"),
        ("m" * 257, AppealKind.COMMENT, "1"),
    ],
)
def test_an_unreadable_key_is_unsupported(external_id: str, kind: AppealKind, author: str) -> None:
    with pytest.raises(SendError) as caught:
        max_reply.target(outgoing(external_id, kind, author))
    assert caught.value.reason is F.UNSUPPORTED
    assert not caught.value.retryable


def test_path_parts_are_quoted() -> None:
    # MAX mids never hold a slash or a "?" (the key parser refuses them), but the path is
    # quoted anyway: a mid must never make another request.
    request = max_reply.send(max_reply.Target("a", post_id="x?y"), "t")
    assert request.path == "/messages/x%3Fy/comments"


# --- answers --------------------------------------------------------------------------------


def test_a_message_reply_is_keyed_by_its_mid_with_its_public_url() -> None:
    target = max_reply.target(GROUP_CHAT)
    url = "https://max.ru/c/-7080/x"
    assert max_reply.posted(target, sent(url=url)) == Posted(NEW_MID, url)


def test_a_reply_without_an_https_url_has_none() -> None:
    target = max_reply.target(DIALOG)
    assert max_reply.posted(target, sent(url=None)) == Posted(NEW_MID, None)
    assert max_reply.posted(target, sent(url="javascript:x")) == Posted(NEW_MID, None)


def test_a_comment_reply_is_keyed_as_the_poller_keys_comments() -> None:
    posted = max_reply.posted(max_reply.target(COMMENT), sent())
    assert posted == Posted(f"post{POST_MID}/{NEW_MID}", None)


@pytest.mark.parametrize("body", [None, {}, {"message": {}}, {"message": {"body": {"mid": ""}}}])
def test_a_200_without_the_new_mid_may_have_posted(body: object) -> None:
    with pytest.raises(SendError) as caught:
        max_reply.posted(max_reply.target(DIALOG), body)
    assert caught.value.maybe_posted
    assert caught.value.reason is F.PLATFORM_ERROR


def test_a_looked_up_message_without_a_chat_fails() -> None:
    with pytest.raises(SendError) as caught:
        max_reply.chat_of({"recipient": {"chat_type": "chat"}})
    assert caught.value.reason is F.PLATFORM_ERROR
    assert not caught.value.maybe_posted


# --- the reply id is the one ingest computes when it sees the reply -------------------------


def test_a_dialog_reply_seen_by_the_webhook_answers_the_same_appeal_with_our_id() -> None:
    posted = max_reply.posted(max_reply.target(DIALOG), sent())
    update = {
        "update_type": "message_created",
        "timestamp": 1775025604499,
        "message": {
            "sender": {"user_id": int(BOT), "first_name": "Бот", "is_bot": True},
            "recipient": {"chat_id": 182182182, "chat_type": "dialog", "user_id": 123456789},
            "timestamp": 1775025604499,
            "body": {"mid": NEW_MID, "seq": 2, "text": "Ответ ведомства"},
            "link": {"type": "reply", "message": {"mid": RESIDENT_MID, "seq": 1}},
        },
    }
    result = max_bot.to_outcome(max_bot.parse_update(update), PAGE, salt="s", received_at=T0)

    assert isinstance(result, Emit) and isinstance(result.payload, AppealAnswered)
    assert result.payload.response_id == response_id(Platform.MAX, CHANNEL, posted.reply_id)
    assert result.payload.appeal_id == message_appeal_id(Platform.MAX, CHANNEL, RESIDENT_MID)


def test_a_comment_reply_seen_by_the_poller_answers_the_same_appeal_with_our_id() -> None:
    posted = max_reply.posted(max_reply.target(COMMENT), sent())
    ours = {
        "sender": {"user_id": int(BOT), "first_name": "Бот", "is_bot": True},
        "timestamp": 1775025604499,
        "body": {"mid": NEW_MID, "seq": 2, "text": "Ответ"},
        "link": {"type": "reply", "mid": COMMENT_MID},
    }
    fetched: tuple[FetchedComment, ...] = max_api.comments({"messages": [ours]}, POST_MID, BOT)
    post = FetchedPost(POST_MID, None, T0)
    source = emit.Source(PAGE, Platform.MAX, "s", T0)
    decision = decide(Fetched((post,), fetched), Cursor(), source, prefix="post", keep_posts=10)

    [answered] = decision.emits
    assert isinstance(answered.payload, AppealAnswered)
    assert answered.payload.response_id == response_id(Platform.MAX, CHANNEL, posted.reply_id)
    assert answered.payload.appeal_id == source.appeal_id(AppealKind.COMMENT, COMMENT.external_id)


# --- errors ---------------------------------------------------------------------------------


def error(status: int, code: str = "x", message: str = "y", target: Outgoing = GROUP_CHAT):
    return max_reply.error(
        status,
        {"code": code, "message": message},
        target=max_reply.target(target),
        retry_after_s=None,
    )


@pytest.mark.parametrize(
    ("status", "outgoing_", "reason", "retryable"),
    [
        (401, DIALOG, F.INVALID_TOKEN, False),
        (403, DIALOG, F.BLOCKED_BY_USER, False),
        (403, GROUP_CHAT, F.ACCESS_DENIED, False),
        (403, COMMENT, F.ACCESS_DENIED, False),
        (404, COMMENT, F.TARGET_DELETED, False),
        (405, DIALOG, F.PLATFORM_ERROR, False),
        (400, DIALOG, F.PLATFORM_ERROR, False),
        (429, DIALOG, F.RATE_LIMITED, True),
        (500, DIALOG, F.PLATFORM_ERROR, True),
        (502, DIALOG, F.PLATFORM_ERROR, True),
        (503, DIALOG, F.PLATFORM_ERROR, True),
    ],
)
def test_each_status_has_its_meaning(
    status: int, outgoing_: Outgoing, reason: DeliveryFailure, retryable: bool
) -> None:
    failure = error(status, target=outgoing_)
    assert (failure.reason, failure.retryable, failure.maybe_posted) == (reason, retryable, False)


def test_the_detail_names_the_status_code_and_message_of_max() -> None:
    failure = error(403, "chat.denied", "Bot has no access to this chat")
    assert failure.detail == "MAX 403 chat.denied: Bot has no access to this chat"


def test_a_text_over_the_limit_is_too_long() -> None:
    failure = error(400, "proto.payload", "text: size must be between 0 and 4000")
    assert failure.reason is F.TOO_LONG


def test_an_error_body_that_is_not_json_still_says_the_status() -> None:
    failure = max_reply.error(502, None, target=max_reply.target(DIALOG), retry_after_s=None)
    assert failure.detail == "MAX 502 -: no JSON error body"


def test_a_rate_limit_carries_the_wait_max_asked_for() -> None:
    failure = max_reply.error(
        429, {"code": "too.many.requests"}, target=max_reply.target(DIALOG), retry_after_s=7.0
    )
    assert failure.retry_after_s == 7.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("0", 1.0), ("1e9", 3600.0), (None, None), ("soon", None), ("nan", None)],
)
def test_retry_after_is_read_in_seconds_within_bounds(
    header: str | None, seconds: float | None
) -> None:
    assert max_reply.retry_after(header) == seconds


def test_a_long_error_message_is_cut() -> None:
    assert len(error(500, "c" * 500, "m" * 5000).detail) < 320
