"""VK answers decided without I/O: which method and parameters reply to which appeal, the
idempotency keys, VK's answers as the reply ingest's own dispatch would key, and VK's errors
as SendError."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from appeals_common.events import AppealAnswered, AppealKind, DeliveryFailure, Platform
from ingest.domain import vk as vk_callbacks
from ingest.domain.delivery import vk
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.normalise import appeal_id, response_id
from ingest.domain.pages import Page

GROUP = 222222
PAGE = Page("vk-adm-test", Platform.VK, str(GROUP), "adm-test", "Администрация", secret="s")
KEY = "6d1f0c4e-8a7b-4a41-9d55-1c2b3a4d5e6f:0"


def outgoing(external_id: str, kind: AppealKind = AppealKind.COMMENT) -> Outgoing:
    return Outgoing(uuid.uuid4(), Platform.VK, kind, external_id, "111111", "Ответ")


def refusal(page: Page, external_id: str) -> SendError:
    with pytest.raises(SendError) as caught:
        vk.plan(page, outgoing(external_id), KEY)
    return caught.value


REPLY = {"owner_id": "-222222", "from_group": "1"}  # and reply_to_comment


@pytest.mark.parametrize(
    ("external_id", "method", "params"),
    [
        ("wall-222222_7/3", "wall.createComment", REPLY | {"post_id": "7", "from_group": "222222"}),
        ("photo-222222_9/3", "photos.createComment", REPLY | {"photo_id": "9"}),
        ("video-222222_8/3", "video.createComment", REPLY | {"video_id": "8"}),
        ("market-222222_5/3", "market.createComment", REPLY | {"item_id": "5"}),
        ("topic-222222_6/3", "board.createComment", {"group_id": "222222", "topic_id": "6"}),
    ],
)
def test_each_comment_family_replies_with_its_own_method(
    external_id: str, method: str, params: dict[str, str]
) -> None:
    call = vk.plan(PAGE, outgoing(external_id), KEY)

    reply = {} if method == "board.createComment" else {"reply_to_comment": "3"}
    assert call.method == method
    expected = {"from_group": "1", **params, **reply, "message": "Ответ", "guid": vk.guid(KEY)}
    assert call.params == expected


def test_a_private_message_is_answered_in_its_dialog_quoting_it() -> None:
    call = vk.plan(PAGE, outgoing("msg111111/42", AppealKind.PRIVATE_MESSAGE), KEY)

    assert call.method == "messages.send"
    forward = json.loads(call.params.pop("forward"))
    assert forward == {"peer_id": 111111, "conversation_message_ids": [42], "is_reply": True}
    assert call.params == {
        "peer_ids": "111111",  # not peer_id: only this form answers with the conversation id
        "random_id": str(vk.random_id(KEY)),
        "message": "Ответ",
        "group_id": "222222",
    }


def test_the_idempotency_keys_follow_the_key_and_only_the_key() -> None:
    assert vk.guid(KEY) == vk.guid(KEY)
    assert vk.random_id(KEY) == vk.random_id(KEY)
    assert vk.guid(KEY) != vk.guid(KEY[:-1] + "1")
    assert vk.random_id(KEY) != vk.random_id(KEY[:-1] + "1")
    assert len(vk.guid(KEY)) == 32


def test_random_ids_are_positive_int32s_and_rarely_collide() -> None:
    ids = [vk.random_id(f"{uuid.UUID(int=n)}:{n % 3}") for n in range(20_000)]

    assert all(1 <= value <= 2**31 - 1 for value in ids)
    assert len(set(ids)) >= 19_990  # a birthday collision or two in 2^31 is expected


@pytest.mark.parametrize(
    "external_id",
    [
        "",
        "wall-222222_3",
        "wall-222222_3/4/5",
        "wal-222222_3/4",
        "wall-222222_x/4",
        "msg111111",
        "msgabc/4",
        "chat-100/5",
        "wall-222222_3/4 ",
        "wall-222222_٣/4",  # Arabic-Indic digits: int() would read them, VK would not
    ],
)
def test_an_unreadable_key_is_unsupported(external_id: str) -> None:
    error = refusal(PAGE, external_id)

    assert error.reason is DeliveryFailure.UNSUPPORTED
    assert not error.retryable


def test_a_comment_on_another_owners_object_is_unsupported() -> None:
    error = refusal(PAGE, "wall-999_3/4")

    assert error.reason is DeliveryFailure.UNSUPPORTED
    assert "wall-999_3/4" in error.detail


def test_a_page_whose_id_is_no_community_id_is_unsupported() -> None:
    page = Page("vk-odd", Platform.VK, "club222222", "b", "n")

    assert refusal(page, "wall-222222_3/4").reason is DeliveryFailure.UNSUPPORTED


@pytest.mark.parametrize(
    ("external_id", "response", "reply_id", "reply_url"),
    [
        (
            "wall-222222_3/4",
            {"comment_id": 5, "parents_stack": [4]},
            "wall-222222_3/5",
            "https://vk.com/wall-222222_3?reply=5",
        ),
        ("photo-222222_9/3", 10, "photo-222222_9/10", "https://vk.com/photo-222222_9"),
        ("video-222222_8/6", 11, "video-222222_8/11", "https://vk.com/video-222222_8"),
        ("market-222222_555/7", 12, "market-222222_555/12", "https://vk.com/product-222222_555"),
        (
            "topic-222222_333/2",
            13,
            "topic-222222_333/13",
            "https://vk.com/topic-222222_333?post=13",
        ),
    ],
)
def test_a_new_comment_is_keyed_and_linked_like_ingest_keys_comments(
    external_id: str, response: object, reply_id: str, reply_url: str
) -> None:
    call = vk.plan(PAGE, outgoing(external_id), KEY)

    assert vk.read_answer(call, {"response": response}) == Posted(reply_id, reply_url)


def test_a_sent_message_is_keyed_by_its_conversation_id() -> None:
    call = vk.plan(PAGE, outgoing("msg111111/42", AppealKind.PRIVATE_MESSAGE), KEY)
    answer = {"response": [{"peer_id": 111111, "message_id": 0, "conversation_message_id": 43}]}

    assert vk.read_answer(call, answer) == Posted("msg111111/43", None)


def callback(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": event_type,
        "event_id": "e" * 40,
        "v": "5.199",
        "object": obj,
        "group_id": GROUP,
    }


def page_comment(event_type: str, owner_fields: dict[str, int], new: int, replied: int) -> Any:
    obj = {"id": new, "from_id": -GROUP, "date": 1719900000, "text": "Ответ", **owner_fields}
    return callback(event_type, obj | {"reply_to_comment": replied})


@pytest.mark.parametrize(
    ("external_id", "response", "echo"),
    [
        (
            "wall-222222_3/4",
            {"comment_id": 5},
            ("wall_reply_new", {"post_id": 3, "owner_id": -GROUP}),
        ),
        ("photo-222222_9/3", 10, ("photo_comment_new", {"photo_id": 9, "photo_owner_id": -GROUP})),
        ("video-222222_8/6", 11, ("video_comment_new", {"video_id": 8, "video_owner_id": -GROUP})),
        (
            "market-222222_5/7",
            12,
            ("market_comment_new", {"item_id": 5, "market_owner_id": -GROUP}),
        ),
    ],
)
def test_ingest_reads_the_posted_comment_as_the_answer_it_recorded(
    external_id: str, response: object, echo: tuple[str, dict[str, int]]
) -> None:
    call = vk.plan(PAGE, outgoing(external_id), KEY)
    posted = vk.read_answer(call, {"response": response})
    new_id, replied = int(posted.reply_id.rsplit("/", 1)[1]), int(external_id.rsplit("/", 1)[1])

    answered = dispatch(page_comment(echo[0], echo[1], new_id, replied))

    assert answered.appeal_id == appeal_id(Platform.VK, str(GROUP), AppealKind.COMMENT, external_id)
    assert answered.response_id == response_id(Platform.VK, str(GROUP), posted.reply_id)


def test_ingest_reads_the_sent_message_as_the_answer_it_recorded() -> None:
    call = vk.plan(PAGE, outgoing("msg111111/42", AppealKind.PRIVATE_MESSAGE), KEY)
    posted = vk.read_answer(
        call, {"response": [{"peer_id": 111111, "conversation_message_id": 43}]}
    )
    quoted = {"date": 1719900000, "from_id": 111111, "text": "?", "conversation_message_id": 42}
    message = {"id": 0, "date": 1719900600, "from_id": -GROUP, "peer_id": 111111, "text": "Ответ"}
    message |= {"conversation_message_id": 43, "reply_message": quoted | {"peer_id": 111111}}

    answered = dispatch(callback("message_reply", message))

    kind = AppealKind.PRIVATE_MESSAGE
    assert answered.appeal_id == appeal_id(Platform.VK, str(GROUP), kind, "msg111111/42")
    assert answered.response_id == response_id(Platform.VK, str(GROUP), posted.reply_id)


def dispatch(body: dict[str, Any]) -> AppealAnswered:
    received = datetime(2024, 7, 2, 6, 30, tzinfo=UTC)
    result = vk_callbacks.to_outcome(
        vk_callbacks.parse_callback(body), PAGE, salt="s", received_at=received
    )
    assert isinstance(result, vk_callbacks.Emit), result
    assert isinstance(result.payload, AppealAnswered)
    return result.payload


def answer_error(external_id: str, answer: object) -> SendError:
    call = vk.plan(PAGE, outgoing(external_id), KEY)
    with pytest.raises(SendError) as caught:
        vk.read_answer(call, answer)
    return caught.value


def test_a_peers_failure_inside_the_peer_ids_answer_is_its_error() -> None:
    item = {"peer_id": 111111, "error": {"code": 901, "description": "Can't send messages"}}

    error = answer_error("msg111111/42", {"response": [item]})

    assert error.reason is DeliveryFailure.BLOCKED_BY_USER
    assert error.detail == "VK error 901: Can't send messages"


@pytest.mark.parametrize(
    ("external_id", "response"),
    [
        ("msg111111/42", [{"peer_id": 111111, "message_id": 7}]),  # no conversation id
        ("msg111111/42", 7),  # the peer_id form: no conversation id either
        ("msg111111/42", [{"peer_id": 5, "conversation_message_id": 43}]),  # another peer
        ("wall-222222_3/4", {"parents_stack": []}),
        ("photo-222222_9/3", True),
        ("photo-222222_9/3", 0),
    ],
)
def test_a_success_that_does_not_say_what_was_posted_needs_a_person(
    external_id: str, response: object
) -> None:
    error = answer_error(external_id, {"response": response})

    assert error.reason is DeliveryFailure.OUTCOME_UNKNOWN
    assert error.maybe_posted
    assert not error.retryable


@pytest.mark.parametrize("answer", [None, [], "ok", {"result": 1}])
def test_an_answer_that_is_neither_response_nor_error_may_be_retried(answer: object) -> None:
    error = answer_error("wall-222222_3/4", answer)

    assert error.reason is DeliveryFailure.PLATFORM_ERROR
    assert error.retryable and error.maybe_posted


F = DeliveryFailure


@pytest.mark.parametrize(
    ("code", "reason", "retryable", "retry_after_s"),
    [
        (5, F.INVALID_TOKEN, False, None),
        (6, F.RATE_LIMITED, True, 1.0),
        (7, F.ACCESS_DENIED, False, None),
        (9, F.FLOOD_CONTROL, True, 60.0),
        (10, F.PLATFORM_ERROR, True, None),
        (14, F.CAPTCHA, False, None),
        (15, F.ACCESS_DENIED, False, None),
        (18, F.TARGET_DELETED, False, None),
        (27, F.ACCESS_DENIED, False, None),
        (29, F.RATE_LIMITED, True, 3600.0),
        (104, F.TARGET_DELETED, False, None),
        (212, F.ACCESS_DENIED, False, None),
        (213, F.ACCESS_DENIED, False, None),
        (223, F.FLOOD_CONTROL, True, 60.0),
        (801, F.ACCESS_DENIED, False, None),
        (900, F.ACCESS_DENIED, False, None),
        (901, F.BLOCKED_BY_USER, False, None),
        (902, F.BLOCKED_BY_USER, False, None),
        (914, F.TOO_LONG, False, None),
        (921, F.TARGET_DELETED, False, None),
        (1117, F.INVALID_TOKEN, False, None),
        (100, F.PLATFORM_ERROR, False, None),
        (99999, F.PLATFORM_ERROR, False, None),
    ],
)
def test_vk_errors_map_to_reasons(
    code: int, reason: DeliveryFailure, retryable: bool, retry_after_s: float | None
) -> None:
    error = vk.failure({"error_code": code, "error_msg": "Something", "request_params": []})

    assert (error.reason, error.retryable, error.retry_after_s) == (
        reason,
        retryable,
        retry_after_s,
    )
    assert error.detail == f"VK error {code}: Something"


def test_an_internal_error_may_have_posted() -> None:
    assert vk.failure({"error_code": 10, "error_msg": "Internal server error"}).maybe_posted
    assert not vk.failure({"error_code": 9, "error_msg": "Flood control"}).maybe_posted


@pytest.mark.parametrize("error", [None, "boom", {}, {"error_code": "9"}, {"error_code": True}])
def test_a_malformed_error_is_a_platform_error_that_says_so(error: object) -> None:
    failure = vk.failure(error)

    assert failure.reason is DeliveryFailure.PLATFORM_ERROR
    assert not failure.retryable
    assert failure.detail.startswith("VK error ")


def test_an_error_answer_is_raised_from_read_answer_without_the_request_params() -> None:
    params = [{"key": "access_token", "value": "secret-token-value"}]
    answer = {"error": {"error_code": 9, "error_msg": "Flood control", "request_params": params}}

    error = answer_error("wall-222222_3/4", answer)

    assert error.reason is DeliveryFailure.FLOOD_CONTROL
    assert "secret-token-value" not in str(error)
