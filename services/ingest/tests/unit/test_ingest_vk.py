"""VK Callback API events (fixtures written from the documented formats) to what we publish."""

import copy
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
    AppealWithdrawn,
    Attachment,
    GeoPoint,
    Platform,
    ResponseChannel,
)
from ingest.domain import vk
from ingest.domain.normalise import appeal_id, author_key, response_id
from ingest.domain.pages import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vk"
SALT = "test-salt"
RECEIVED_AT = datetime(2024, 7, 2, 6, 0, 5, tzinfo=UTC)
PAGE = Page("vk-adm-test", Platform.VK, "222222", "adm-test", "Администрация", secret="test-secret")


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def outcome(body: dict[str, Any], received_at: datetime = RECEIVED_AT) -> vk.Outcome:
    return vk.to_outcome(vk.parse_callback(body), PAGE, salt=SALT, received_at=received_at)


def emitted(body: dict[str, Any]) -> vk.Emit:
    result = outcome(body)
    assert isinstance(result, vk.Emit), result
    return result


def with_object(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    changed["object"].update(changes)
    return changed


def vk_appeal_id(kind: AppealKind, key: str) -> uuid.UUID:
    return appeal_id(Platform.VK, "222222", kind, key)


EXPECTED = {
    "wall_reply_new": (AppealReceived, AppealKind.COMMENT, "wall-222222_3/4"),
    "wall_reply_edit": (AppealReceived, AppealKind.COMMENT, "wall-222222_3/4"),
    "wall_reply_restore": (AppealReceived, AppealKind.COMMENT, "wall-222222_3/4"),
    "wall_reply_delete": (AppealWithdrawn, AppealKind.COMMENT, "wall-222222_3/4"),
    "wall_reply_new_by_page": (AppealAnswered, AppealKind.COMMENT, "wall-222222_3/4"),
    "wall_post_new_suggest": (AppealReceived, AppealKind.SUGGESTED_POST, "wall-222222_17"),
    "message_new": (AppealReceived, AppealKind.PRIVATE_MESSAGE, "msg111111/42"),
    "message_new_5_101": (AppealReceived, AppealKind.PRIVATE_MESSAGE, "msg111111/42"),
    "message_edit": (AppealReceived, AppealKind.PRIVATE_MESSAGE, "msg111111/42"),
    "message_reply": (AppealAnswered, AppealKind.PRIVATE_MESSAGE, "msg111111/42"),
    **{
        f"{family}_{action}": (
            AppealWithdrawn if action == "delete" else AppealReceived,
            kind,
            key,
        )
        for family, kind, key in [
            ("board_post", AppealKind.BOARD_POST, "topic-222222_333/2"),
            ("photo_comment", AppealKind.COMMENT, "photo-222222_457239001/3"),
            ("video_comment", AppealKind.COMMENT, "video-222222_456239020/6"),
            ("market_comment", AppealKind.COMMENT, "market-222222_555/7"),
        ]
        for action in ("new", "edit", "restore", "delete")
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_read_event_type_publishes_for_the_object_it_concerns(name: str) -> None:
    payload_type, kind, key = EXPECTED[name]

    result = emitted(fixture(name))

    assert type(result.payload) is payload_type
    assert result.payload.appeal_id == vk_appeal_id(kind, key)


def test_every_read_type_has_a_fixture() -> None:
    covered = {fixture(name)["type"] for name in EXPECTED}

    assert covered == vk.READ_TYPES


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("wall_post_new_own", "wall post of type post"),
        ("group_join", "type group_join is not processed"),
        ("confirmation", "type confirmation is not processed"),
    ],
)
def test_other_events_are_only_acknowledged(name: str, reason: str) -> None:
    assert outcome(fixture(name)) == vk.Ignored(reason)


def test_a_wall_comment_becomes_a_comment_appeal_with_its_thread_and_photo() -> None:
    result = emitted(fixture("wall_reply_new"))
    appeal = result.payload
    assert isinstance(appeal, AppealReceived)

    assert (appeal.platform, appeal.kind, appeal.page_id, appeal.body_id) == (
        Platform.VK,
        AppealKind.COMMENT,
        "vk-adm-test",
        "adm-test",
    )
    assert appeal.external_id == "wall-222222_3/4"
    assert appeal.permalink == "https://vk.com/wall-222222_3?reply=4"
    assert appeal.thread is not None
    assert appeal.thread.post_id == "wall-222222_3"
    assert appeal.thread.post_permalink == "https://vk.com/wall-222222_3"
    assert appeal.thread.reply_to_id == "2"
    assert appeal.author.platform_id == "111111"
    assert appeal.author.key == author_key(SALT, Platform.VK, "111111")
    assert appeal.text == (
        "Администрация, когда отремонтируют дорогу на ул. Ленина? https://example.org/?a=1&b=2"
    )
    assert appeal.attachments == (
        Attachment(
            type="photo", url="https://sun9-0.userapi.com/x.jpg", ref="photo111111_457239017"
        ),
    )
    assert appeal.written_at == datetime(2024, 7, 2, 6, 0, tzinfo=UTC)
    assert (appeal.received_at, appeal.revision, appeal.edited_at) == (RECEIVED_AT, 0, None)
    assert result.event_id == uuid.uuid5(appeal.appeal_id, "received")


def test_a_redelivered_comment_is_the_same_event() -> None:
    again = {**fixture("wall_reply_new"), "event_id": "0" * 40}

    assert emitted(fixture("wall_reply_new")) == emitted(again)


def test_an_edit_is_a_later_revision_with_its_own_deterministic_event_id() -> None:
    original = emitted(fixture("wall_reply_new"))
    edit = emitted(fixture("wall_reply_edit"))
    retried = emitted(fixture("wall_reply_edit"))
    next_edit = emitted({**fixture("wall_reply_edit"), "event_id": "f" * 40})
    assert isinstance(edit.payload, AppealReceived)

    assert edit.payload.appeal_id == original.payload.appeal_id
    assert edit.payload.revision == 1_719_900_005_000  # VK gives no edit time: when it came
    assert edit.payload.edited_at == RECEIVED_AT
    assert edit.payload.text == "Когда отремонтируют дорогу на ул. Ленина? Уже месяц жду"
    assert edit.event_id != original.event_id
    assert retried.event_id == edit.event_id
    assert next_edit.event_id not in {edit.event_id, original.event_id}


def test_a_restore_is_a_revision_too() -> None:
    restored = emitted(fixture("wall_reply_restore"))
    assert isinstance(restored.payload, AppealReceived)

    assert restored.payload.revision > 0
    assert restored.event_id != emitted(fixture("wall_reply_edit")).event_id


def test_a_deleted_comment_is_withdrawn_saying_who_deleted_it() -> None:
    result = emitted(fixture("wall_reply_delete"))
    withdrawal = result.payload

    assert withdrawal == AppealWithdrawn(
        appeal_id=vk_appeal_id(AppealKind.COMMENT, "wall-222222_3/4"),
        platform=Platform.VK,
        page_id="vk-adm-test",
        external_id="wall-222222_3/4",
        deleted_by="111111",
        withdrawn_at=RECEIVED_AT,
    )
    assert emitted(fixture("wall_reply_delete")).event_id == result.event_id


def test_a_deletion_reported_with_user_id_instead_of_deleter_id_is_read() -> None:
    body = fixture("wall_reply_delete")
    body["object"] = {"owner_id": -222222, "id": 4, "user_id": 111111, "post_id": 3}

    withdrawal = emitted(body).payload

    assert isinstance(withdrawal, AppealWithdrawn)
    assert withdrawal.deleted_by == "111111"


def test_a_reply_by_the_page_answers_the_comment_it_replies_to() -> None:
    result = emitted(fixture("wall_reply_new_by_page"))

    assert result.payload == AppealAnswered(
        appeal_id=vk_appeal_id(AppealKind.COMMENT, "wall-222222_3/4"),
        response_id=response_id(Platform.VK, "222222", "wall-222222_3/5"),
        agency_id=None,
        channel=ResponseChannel.PLATFORM,
        answered_at=datetime(2024, 7, 2, 6, 0, tzinfo=UTC),
    )
    assert result.event_id == response_id(Platform.VK, "222222", "wall-222222_3/5")


def test_a_reply_by_the_page_in_a_thread_without_reply_to_comment_answers_the_root() -> None:
    body = fixture("wall_reply_new_by_page")
    del body["object"]["reply_to_comment"]

    answer = emitted(body).payload

    assert answer.appeal_id == vk_appeal_id(AppealKind.COMMENT, "wall-222222_3/4")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"from_id": -999999}, "comment by a community"),
        ({"reply_to_comment": None, "parents_stack": []}, "comment by the page that answers"),
    ],
)
def test_community_comments_that_answer_nothing_are_ignored(
    changes: dict[str, Any], reason: str
) -> None:
    result = outcome(with_object(fixture("wall_reply_new_by_page"), **changes))

    assert isinstance(result, vk.Ignored)
    assert result.reason.startswith(reason)


def test_an_edit_of_the_pages_own_comment_is_ignored() -> None:
    body = with_object(fixture("wall_reply_edit"), from_id=-222222)

    assert outcome(body) == vk.Ignored("comment by a community")


def test_a_comment_with_nothing_readable_or_attached_is_ignored() -> None:
    body = with_object(fixture("photo_comment_new"), text="\u200b &nbsp; ")

    assert outcome(body) == vk.Ignored("nothing readable or attached")


@pytest.mark.parametrize(
    ("name", "permalink", "post_permalink"),
    [
        (
            "board_post_new",
            "https://vk.com/topic-222222_333?post=2",
            "https://vk.com/topic-222222_333",
        ),
        ("photo_comment_new", None, "https://vk.com/photo-222222_457239001"),
        ("video_comment_new", None, "https://vk.com/video-222222_456239020"),
        ("market_comment_new", None, "https://vk.com/product-222222_555"),
    ],
)
def test_comments_on_other_objects_link_to_them(
    name: str, permalink: str | None, post_permalink: str
) -> None:
    appeal = emitted(fixture(name)).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.permalink == (permalink or post_permalink)
    assert appeal.thread is not None
    assert appeal.thread.post_permalink == post_permalink


def test_a_suggested_post_is_an_appeal_with_its_place() -> None:
    appeal = emitted(fixture("wall_post_new_suggest")).payload
    assert isinstance(appeal, AppealReceived)

    assert appeal.kind == AppealKind.SUGGESTED_POST
    assert appeal.permalink == "https://vk.com/wall-222222_17"
    assert appeal.geo == GeoPoint(latitude=56.9972, longitude=40.9714, place="Иваново")


def test_a_message_in_both_shapes_is_the_same_appeal_with_geo_and_photo() -> None:
    wrapped = emitted(fixture("message_new"))
    flat = emitted(fixture("message_new_5_101"))
    appeal = wrapped.payload
    assert isinstance(appeal, AppealReceived)

    assert flat == wrapped
    assert appeal.kind == AppealKind.PRIVATE_MESSAGE
    assert appeal.permalink is None
    assert appeal.text == 'Здравствуйте, прошу "разобраться" с вывозом мусора'
    assert appeal.geo == GeoPoint(latitude=55.751244, longitude=37.618423, place="ул. Ленина, 5")
    assert [a.type for a in appeal.attachments] == ["photo"]


def test_a_message_without_a_conversation_id_is_keyed_by_its_id() -> None:
    body = fixture("message_new_5_101")
    del body["object"]["conversation_message_id"]
    body["object"]["id"] = 345

    assert emitted(body).payload.appeal_id == vk_appeal_id(
        AppealKind.PRIVATE_MESSAGE, "msg111111/345"
    )


def test_an_edited_message_takes_its_revision_from_update_time() -> None:
    edit = emitted(fixture("message_edit")).payload
    assert isinstance(edit, AppealReceived)

    assert edit.revision == 1_719_900_300_000
    assert edit.edited_at == datetime(2024, 7, 2, 6, 5, tzinfo=UTC)


def test_the_pages_reply_quoting_a_message_answers_it() -> None:
    result = emitted(fixture("message_reply"))

    assert isinstance(result.payload, AppealAnswered)
    assert result.payload.response_id == response_id(Platform.VK, "222222", "msg111111/43")
    assert result.payload.answered_at == datetime(2024, 7, 2, 6, 10, tzinfo=UTC)


def test_the_pages_reply_that_quotes_nothing_is_ignored() -> None:
    body = with_object(fixture("message_reply"), reply_message=None)

    result = outcome(body)

    assert isinstance(result, vk.Ignored)


@pytest.mark.parametrize("name", ["message_new", "message_edit"])
def test_a_message_by_a_community_is_ignored(name: str) -> None:
    body = fixture(name)
    message = body["object"].get("message", body["object"])
    message["from_id"] = -222222

    assert outcome(body) == vk.Ignored("message by a community")


def test_parse_callback_reads_the_envelope() -> None:
    callback = vk.parse_callback(fixture("wall_reply_new"))

    assert (callback.type, callback.group_id, callback.v) == ("wall_reply_new", 222222, "5.199")
    assert callback.secret == "test-secret"
    assert callback.delivery_key == f"vk:{1:040x}"


@pytest.mark.parametrize(
    ("event_type", "label"),
    [("wall_reply_new", "wall_reply_new"), ("group_join", "group_join"), ("x" * 60, "other")],
)
def test_type_labels_are_known_types_or_other(event_type: str, label: str) -> None:
    assert vk.type_label(event_type) == label


@pytest.mark.parametrize(
    ("name", "changes", "where"),
    [
        ("wall_reply_new", None, "post_id"),
        ("wall_reply_new", {"date": "вчера"}, "date"),
        ("wall_reply_new", {"date": 0}, "date"),
        ("wall_reply_new", {"date": 1719900000.5}, "date"),
        ("wall_reply_new", {"date": 10**30}, "date"),
        ("wall_reply_new", {"date": 4102444800}, "date"),
        ("wall_reply_new", {"text": "a" * 50_001}, "text"),
        ("wall_reply_new", {"text": 12}, "text"),
        ("wall_reply_new", {"post_id": "3"}, "post_id"),
        ("wall_reply_new", {"attachments": "photo"}, "attachments"),
        ("wall_reply_delete", {"id": None}, "id"),
        ("board_post_new", {"topic_id": None}, "topic_id"),
        ("message_new_5_101", {"from_id": "not a number"}, "from_id"),
        ("message_new_5_101", {"update_time": -1}, "update_time"),
        ("wall_post_new_suggest", {"owner_id": None}, "owner_id"),
    ],
)
def test_malformed_objects_are_payload_errors_that_say_where(
    name: str, changes: dict[str, Any] | None, where: str
) -> None:
    body = fixture(name)
    body["object"] = {"id": 4, "from_id": 1} if changes is None else {**body["object"], **changes}

    with pytest.raises(vk.VkPayloadError, match=f"^{body['type']}: .*{where}"):
        outcome(body)


@pytest.mark.parametrize(
    "obj", [None, {}, {"message": "текст", "client_info": {}}], ids=["null", "empty", "string"]
)
def test_a_message_new_without_a_message_is_a_payload_error(obj: object) -> None:
    body = {**fixture("message_new"), "object": obj}

    with pytest.raises(vk.VkPayloadError, match=r"^message_new: "):
        outcome(body)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"type": "wall_reply_new", "object": {}}, "group_id"),
        ({"type": "wall_reply_new", "group_id": 0}, "group_id"),
        ({"type": "wall_reply_new", "group_id": -222222}, "group_id"),
        ({"group_id": 222222, "object": {}}, "type"),
        ({"type": "", "group_id": 222222}, "type"),
        ({"type": "wall_reply_new", "group_id": 222222, "object": [1, 2]}, "object"),
        (["wall_reply_new"], "body"),
        ("wall_reply_new", "body"),
    ],
)
def test_malformed_envelopes_are_payload_errors(body: object, where: str) -> None:
    with pytest.raises(vk.VkPayloadError, match=f"^{where}: "):
        vk.parse_callback(body)
