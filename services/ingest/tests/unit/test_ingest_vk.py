"""VK Callback API payloads (shapes from the Callback API docs, placeholder ids) to appeals."""

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from appeals_common.events import AppealKind, AppealReceived, Platform
from ingest.domain import vk
from ingest.domain.normalise import author_key
from ingest.domain.pages import Page

SALT = "test-salt"
RECEIVED_AT = datetime(2024, 7, 2, 6, 0, 5, tzinfo=UTC)
PAGE = Page(
    id="vk-adm-test",
    platform=Platform.VK,
    external_id="222222",
    body_id="adm-test",
    name="Администрация (тест)",
    secret="test-secret",
    confirmation="a1b2c3d4",
)

WALL_REPLY_NEW: dict[str, Any] = {
    "type": "wall_reply_new",
    "event_id": "c68dfb983247fea8ac98ea0ea59717df71d8064f",
    "v": "5.199",
    "object": {
        "id": 4,
        "from_id": 111111,
        "post_id": 3,
        "owner_id": -222222,
        "post_owner_id": -222222,
        "parents_stack": [2],
        "date": 1719900000,
        "text": "[club222222|Администрация], когда отремонтируют дорогу на ул. Ленина?",
        "thread": {"count": 0},
        "reply_to_user": 333333,
        "reply_to_comment": 2,
    },
    "group_id": 222222,
    "secret": "test-secret",
}
MESSAGE = {
    "id": 0,
    "date": 1719900000,
    "from_id": 111111,
    "peer_id": 111111,
    "out": 0,
    "text": "Здравствуйте, прошу &quot;разобраться&quot; с вывозом мусора",
    "conversation_message_id": 42,
    "fwd_messages": [],
    "important": False,
    "random_id": 0,
    "is_hidden": False,
    "attachments": [
        {
            "type": "photo",
            "photo": {"id": 457239017, "owner_id": 111111, "album_id": -3, "sizes": []},
        }
    ],
    "geo": {"type": "point", "coordinates": {"latitude": 55.751244, "longitude": 37.618423}},
}
MESSAGE_NEW: dict[str, Any] = {
    "type": "message_new",
    "event_id": "d78dfb983247fea8ac98ea0ea59717df71d8064f",
    "v": "5.199",
    "object": {
        "message": MESSAGE,
        "client_info": {
            "button_actions": ["text", "vkpay", "open_app", "location", "open_link", "callback"],
            "keyboard": True,
            "inline_keyboard": True,
            "carousel": True,
            "lang_id": 0,
        },
    },
    "group_id": 222222,
    "secret": "test-secret",
}
MESSAGE_NEW_FLAT: dict[str, Any] = {
    "type": "message_new",
    "v": "5.101",
    "object": MESSAGE,
    "group_id": 222222,
    "secret": "test-secret",
}


def _appeal(body: dict[str, Any]) -> AppealReceived | vk.Ignored:
    return vk.to_appeal(vk.parse_callback(body), PAGE, salt=SALT, received_at=RECEIVED_AT)


def _with_object(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    changed["object"].update(changes)
    return changed


def test_parse_callback_reads_the_envelope() -> None:
    callback = vk.parse_callback(WALL_REPLY_NEW)

    assert callback.type == "wall_reply_new"
    assert callback.group_id == 222222
    assert callback.secret == "test-secret"
    assert callback.v == "5.199"
    assert callback.event_id == "c68dfb983247fea8ac98ea0ea59717df71d8064f"


def test_parse_callback_reads_the_confirmation_request() -> None:
    callback = vk.parse_callback({"type": "confirmation", "group_id": 222222, "secret": "s"})

    assert callback.type == "confirmation"
    assert callback.object is None


def test_a_wall_comment_becomes_a_comment_appeal() -> None:
    appeal = _appeal(WALL_REPLY_NEW)

    assert isinstance(appeal, AppealReceived)
    assert appeal.platform == Platform.VK
    assert appeal.kind == AppealKind.COMMENT
    assert appeal.page_id == "vk-adm-test"
    assert appeal.body_id == "adm-test"
    assert appeal.external_id == "wall-222222_3/4"
    assert appeal.permalink == "https://vk.com/wall-222222_3?reply=4"
    assert appeal.author.platform_id == "111111"
    assert appeal.author.key == author_key(SALT, Platform.VK, "111111")
    assert appeal.text == "Администрация, когда отремонтируют дорогу на ул. Ленина?"
    assert appeal.written_at == datetime(2024, 7, 2, 6, 0, tzinfo=UTC)
    assert appeal.received_at == RECEIVED_AT


def test_a_redelivered_wall_comment_gets_the_same_appeal_id() -> None:
    first = _appeal(WALL_REPLY_NEW)
    again = _appeal({**WALL_REPLY_NEW, "event_id": "0" * 40})

    assert isinstance(first, AppealReceived)
    assert isinstance(again, AppealReceived)
    assert first.appeal_id == again.appeal_id


def test_a_wall_comment_without_a_post_owner_falls_back_to_the_page() -> None:
    body = copy.deepcopy(WALL_REPLY_NEW)
    del body["object"]["post_owner_id"]
    del body["object"]["owner_id"]

    appeal = _appeal(body)

    assert isinstance(appeal, AppealReceived)
    assert appeal.permalink == "https://vk.com/wall-222222_3?reply=4"


def test_a_comment_by_the_community_itself_is_ignored() -> None:
    outcome = _appeal(_with_object(WALL_REPLY_NEW, from_id=-222222))

    assert outcome == vk.Ignored("comment by a community")


def test_a_message_in_the_5_103_shape_becomes_a_private_message_appeal() -> None:
    appeal = _appeal(MESSAGE_NEW)

    assert isinstance(appeal, AppealReceived)
    assert appeal.kind == AppealKind.PRIVATE_MESSAGE
    assert appeal.external_id == "msg111111/42"
    assert appeal.permalink is None
    assert appeal.author.platform_id == "111111"
    assert appeal.text == 'Здравствуйте, прошу "разобраться" с вывозом мусора'
    assert appeal.written_at == datetime(2024, 7, 2, 6, 0, tzinfo=UTC)


def test_a_message_in_the_flat_pre_5_103_shape_is_the_same_appeal() -> None:
    flat = _appeal(MESSAGE_NEW_FLAT)
    wrapped = _appeal(MESSAGE_NEW)

    assert isinstance(flat, AppealReceived)
    assert flat == wrapped


def test_a_message_without_a_conversation_id_is_keyed_by_its_id() -> None:
    message = {k: v for k, v in MESSAGE.items() if k != "conversation_message_id"}
    body = {**MESSAGE_NEW_FLAT, "object": {**message, "id": 345}}

    appeal = _appeal(body)

    assert isinstance(appeal, AppealReceived)
    assert appeal.external_id == "msg111111/345"


def test_a_message_by_a_community_is_ignored() -> None:
    body = copy.deepcopy(MESSAGE_NEW)
    body["object"]["message"]["from_id"] = -222222

    assert _appeal(body) == vk.Ignored("message by a community")


@pytest.mark.parametrize(
    ("event_type", "obj"),
    [
        ("group_join", {"user_id": 111111, "join_type": "join"}),
        ("wall_reply_delete", {"owner_id": -222222, "id": 4, "deleter_id": 111111, "post_id": 3}),
        ("message_reply", MESSAGE),
        ("confirmation", None),
    ],
)
def test_unsupported_types_are_ignored(event_type: str, obj: dict[str, Any] | None) -> None:
    body = {"type": event_type, "object": obj, "group_id": 222222, "secret": "test-secret"}

    assert _appeal(body) == vk.Ignored(f"type {event_type} is not processed")


@pytest.mark.parametrize(
    "body",
    [
        {"type": "wall_reply_new", "group_id": 222222},
        {**WALL_REPLY_NEW, "object": {"id": 4, "from_id": 111111}},
        _with_object(WALL_REPLY_NEW, date="вчера"),
        _with_object(WALL_REPLY_NEW, date=0),
        _with_object(WALL_REPLY_NEW, text="a" * 50_001),
        {**MESSAGE_NEW, "object": {}},
        {**MESSAGE_NEW, "object": {"message": "текст", "client_info": {}}},
        {**MESSAGE_NEW, "object": None},
        _with_object(MESSAGE_NEW_FLAT, from_id="not a number"),
    ],
    ids=[
        "comment-no-object",
        "comment-missing-fields",
        "comment-bad-date",
        "comment-zero-date",
        "comment-too-long",
        "message-empty",
        "message-not-an-object",
        "message-null",
        "flat-message-bad-from-id",
    ],
)
def test_malformed_objects_are_payload_errors(body: dict[str, Any]) -> None:
    callback = vk.parse_callback(body)

    with pytest.raises(vk.VkPayloadError, match=f"^{body['type']}: "):
        vk.to_appeal(callback, PAGE, salt=SALT, received_at=RECEIVED_AT)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"type": "wall_reply_new", "object": {}}, "group_id"),
        ({**WALL_REPLY_NEW, "group_id": 0}, "group_id"),
        ({**WALL_REPLY_NEW, "group_id": -222222}, "group_id"),
        ({"group_id": 222222, "object": {}}, "type"),
        ({**WALL_REPLY_NEW, "type": ""}, "type"),
        ({**WALL_REPLY_NEW, "object": [1, 2]}, "object"),
        (["wall_reply_new"], "body"),
        ("wall_reply_new", "body"),
    ],
)
def test_malformed_envelopes_are_payload_errors(body: object, where: str) -> None:
    with pytest.raises(vk.VkPayloadError, match=f"^{where}: "):
        vk.parse_callback(body)
