"""Answering on OK, decided without I/O: the chat reply through the Bot API, the comment reply
through the REST API (signed as the poller signs), the reply id as the poller keys the group's
comments, and the meaning of OK's error codes."""

import uuid
from datetime import UTC, datetime

import pytest

from appeals_common.events import AppealAnswered, AppealKind, DeliveryFailure, Platform
from ingest.domain import emit
from ingest.domain.delivery import ok as ok_reply
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.normalise import response_id
from ingest.domain.pages import Page
from ingest.domain.polling import ok_api
from ingest.domain.polling.cursor import Cursor
from ingest.domain.polling.decide import decide
from ingest.domain.polling.fetched import Fetched, FetchedPost

GROUP = "54321"
PAGE = Page("ok-adm", Platform.OK, GROUP, "adm", "Администрация", url_token="t" * 32)
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
MID = "mid:C3ecb9d02a600.15cea67d78d2059"
COMMENT_ID = "MTU5NTc1OTQ5OTo4Mg/+="  # base64, as OK's comment ids are
F = DeliveryFailure


def outgoing(external_id: str, kind: AppealKind) -> Outgoing:
    return Outgoing(uuid.uuid4(), Platform.OK, kind, external_id, "user:1234", "Ответ")


CHAT = outgoing(MID, AppealKind.PRIVATE_MESSAGE)
TOPIC = outgoing(f"topic777/{COMMENT_ID}", AppealKind.COMMENT)


# --- targets and requests -------------------------------------------------------------------


def test_a_chat_message_is_answered_in_the_chat_its_mid_names_replying_to_it() -> None:
    target = ok_reply.target(CHAT)
    assert isinstance(target, ok_reply.ChatTarget)
    path, body = ok_reply.chat_message(target, "Ответ")

    assert target == ok_reply.ChatTarget("chat:C3ecb9d02a600", MID)
    assert path == "/me/messages/chat:C3ecb9d02a600"
    assert body == {
        "recipient": {"chat_id": "chat:C3ecb9d02a600"},
        "message": {"text": "Ответ", "reply_to": MID},
    }


def test_a_topic_comment_is_answered_as_the_group_replying_to_it() -> None:
    target = ok_reply.target(TOPIC)
    assert isinstance(target, ok_reply.TopicTarget)
    assert target == ok_reply.TopicTarget("777", COMMENT_ID)
    assert ok_reply.comment_params(target, "Ответ") == {
        "entityType": "GROUP_TOPIC",
        "entityId": "777",
        "comment": "Ответ",
        "reply_to_comment_id": COMMENT_ID,
        "as_admin": "true",
    }


def test_the_comment_call_is_signed_like_the_pollers() -> None:
    params = ok_reply.comment_params(ok_reply.TopicTarget("777", "c1"), "Ответ")
    form = ok_api.signed_form(
        ok_reply.COMMENT_METHOD,
        params,
        application_key="APPKEY",
        access_token="tkn",
        session_secret="secret",
    )
    unsigned = {k: v for k, v in form.items() if k not in ("sig", "access_token")}
    assert form["access_token"] == "tkn"
    assert form["method"] == "discussions.addDiscussionComment"
    assert form["format"] == "json"
    assert form["sig"] == ok_api.signature(unsigned, "secret")


@pytest.mark.parametrize(
    ("external_id", "kind"),
    [
        ("mid:C3ecb9d02a600", AppealKind.PRIVATE_MESSAGE),  # no chat before a dot
        ("mid:C3e/b9.1", AppealKind.PRIVATE_MESSAGE),
        ("C3ecb9d02a600.15cea", AppealKind.PRIVATE_MESSAGE),
        (MID, AppealKind.COMMENT),
        ("topic777/", AppealKind.COMMENT),
        ("topic/c1", AppealKind.COMMENT),
        ("topic7 7/c1", AppealKind.COMMENT),
        ("topic777/c 1", AppealKind.COMMENT),
        ("topic777/c1", AppealKind.PRIVATE_MESSAGE),
        ("topic777/c1", AppealKind.BOARD_POST),
    ],
)
def test_an_unreadable_key_is_unsupported(external_id: str, kind: AppealKind) -> None:
    with pytest.raises(SendError) as caught:
        ok_reply.target(outgoing(external_id, kind))
    assert caught.value.reason is F.UNSUPPORTED


# --- answers --------------------------------------------------------------------------------


def test_a_chat_reply_is_keyed_by_the_new_mid() -> None:
    assert ok_reply.chat_posted({"message_id": "mid:C3e.1f"}) == Posted("mid:C3e.1f")


@pytest.mark.parametrize("body", [None, {}, {"message_id": ""}, {"message_id": 5}, "mid:x"])
def test_a_chat_answer_without_the_mid_may_have_posted(body: object) -> None:
    with pytest.raises(SendError) as caught:
        ok_reply.chat_posted(body)
    assert caught.value.maybe_posted


@pytest.mark.parametrize("body", ["Y29tbWVudA==", {"id": "Y29tbWVudA=="}])
def test_a_comment_reply_is_keyed_under_its_topic_with_the_topics_link(body: object) -> None:
    posted = ok_reply.comment_posted(ok_reply.TopicTarget("777", "c1"), body, GROUP)
    assert posted == Posted("topic777/Y29tbWVudA==", f"https://ok.ru/group/{GROUP}/topic/777")


def test_a_numeric_comment_id_is_read_as_text() -> None:
    posted = ok_reply.comment_posted(ok_reply.TopicTarget("777", "c1"), {"id": 42}, GROUP)
    assert posted.reply_id == "topic777/42"


@pytest.mark.parametrize("body", [None, {}, True, "", "has space", {"id": None}])
def test_a_comment_answer_without_an_id_may_have_posted(body: object) -> None:
    with pytest.raises(SendError) as caught:
        ok_reply.comment_posted(ok_reply.TopicTarget("777", "c1"), body, GROUP)
    assert caught.value.maybe_posted


def test_a_comment_reply_seen_by_the_poller_answers_the_same_appeal_with_our_id() -> None:
    target = ok_reply.target(TOPIC)
    assert isinstance(target, ok_reply.TopicTarget)
    posted = ok_reply.comment_posted(target, "bmV3LWNvbW1lbnQ=", GROUP)
    ours = {
        "id": "bmV3LWNvbW1lbnQ=",
        "author_id": GROUP,
        "author_type": "GROUP",
        "text": "Ответ",
        "date_ms": 1775025604499,
        "reply_to_comment_id": COMMENT_ID,
    }
    fetched = ok_api.comments({"comments": [ours]}, "777", GROUP)
    post = FetchedPost("777", f"https://ok.ru/group/{GROUP}/topic/777", T0)
    source = emit.Source(PAGE, Platform.OK, "s", T0)
    decision = decide(Fetched((post,), fetched), Cursor(), source, prefix="topic", keep_posts=10)

    [answered] = decision.emits
    assert isinstance(answered.payload, AppealAnswered)
    assert answered.payload.response_id == response_id(Platform.OK, GROUP, posted.reply_id)
    assert answered.payload.appeal_id == source.appeal_id(AppealKind.COMMENT, TOPIC.external_id)


# --- errors ---------------------------------------------------------------------------------


def failure(code: object, *, chat: bool = False, status: int = 200) -> SendError:
    found = ok_reply.failure({"error_code": code, "error_msg": "X : y"}, status, chat=chat)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("code", "chat", "reason", "retryable"),
    [
        (102, False, F.INVALID_TOKEN, False),  # PARAM_SESSION_EXPIRED
        (103, True, F.INVALID_TOKEN, False),  # PARAM_SESSION_KEY
        (104, False, F.INVALID_TOKEN, False),  # PARAM_SIGNATURE
        (101, False, F.INVALID_TOKEN, False),  # PARAM_API_KEY
        (453, False, F.INVALID_TOKEN, False),  # SESSION_REQUIRED
        (10, False, F.ACCESS_DENIED, False),  # PERMISSION_DENIED
        (200, False, F.ACCESS_DENIED, False),  # PARAM_PERMISSION
        (456, False, F.ACCESS_DENIED, False),  # GROUP_RESTRICTION
        (458, False, F.ACCESS_DENIED, False),  # PRIVACY_RESTRICTION under a topic
        (458, True, F.BLOCKED_BY_USER, False),  # ... in the chat: the resident refused
        (801, True, F.BLOCKED_BY_USER, False),
        (300, False, F.TARGET_DELETED, False),  # NOT_FOUND
        (700, False, F.TARGET_DELETED, False),  # COMMENT_NOT_FOUND
        (705, True, F.TARGET_DELETED, False),  # CHAT_NOT_FOUND
        (706, True, F.TARGET_DELETED, False),  # MESSAGE_NOT_ACTIVE
        (8, False, F.FLOOD_CONTROL, True),  # FLOOD_BLOCKED
        (7, False, F.FLOOD_CONTROL, True),  # ACTION_BLOCKED
        (11, False, F.RATE_LIMITED, True),  # LIMIT_REACHED
        (2, False, F.PLATFORM_ERROR, True),  # SERVICE
        (1, True, F.PLATFORM_ERROR, True),  # UNKNOWN
        (9999, False, F.PLATFORM_ERROR, True),  # SYSTEM
        (402, False, F.CAPTCHA, False),
        (511, False, F.FLOOD_CONTROL, False),  # IDS_BLOCKED (anti-spam)
        (601, False, F.TOO_LONG, False),
        (100, False, F.PLATFORM_ERROR, False),  # PARAM
        (454, False, F.PLATFORM_ERROR, False),  # CENSOR_MATCH
        (3, False, F.PLATFORM_ERROR, False),  # METHOD
        ("x", False, F.PLATFORM_ERROR, False),
    ],
)
def test_each_error_code_has_its_meaning(
    code: object, chat: bool, reason: DeliveryFailure, retryable: bool
) -> None:
    found = failure(code, chat=chat)
    assert (found.reason, found.retryable, found.maybe_posted) == (reason, retryable, False)


def test_the_detail_names_the_code_and_message_of_ok() -> None:
    found = ok_reply.failure(
        {"error_code": 8, "error_msg": "FLOOD_BLOCKED : Flood blocked"}, 200, chat=False
    )
    assert found is not None
    assert found.detail == "OK 8 FLOOD_BLOCKED : Flood blocked"


def test_an_error_envelope_counts_whatever_the_http_status() -> None:
    assert failure(102, status=400).reason is F.INVALID_TOKEN


@pytest.mark.parametrize("body", ["Y29tbWVudA==", {"message_id": "mid:x.1"}, None])
def test_a_200_without_an_error_code_is_no_failure(body: object) -> None:
    assert ok_reply.failure(body, 200, chat=False) is None


@pytest.mark.parametrize(
    ("status", "reason", "retryable"),
    [
        (500, F.PLATFORM_ERROR, True),
        (503, F.PLATFORM_ERROR, True),
        (429, F.RATE_LIMITED, True),
        (401, F.INVALID_TOKEN, False),
        (403, F.ACCESS_DENIED, False),
        (404, F.PLATFORM_ERROR, False),
    ],
)
def test_an_http_error_without_an_envelope_is_read_by_its_status(
    status: int, reason: DeliveryFailure, retryable: bool
) -> None:
    found = ok_reply.failure("Internal Server Error", status, chat=True)
    assert found is not None
    assert (found.reason, found.retryable, found.maybe_posted) == (reason, retryable, False)
    assert found.detail == f"OK HTTP {status}"
