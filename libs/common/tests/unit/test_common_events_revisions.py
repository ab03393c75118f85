"""The platform-side fields of AppealReceived and AppealWithdrawn: additive, with defaults,
so producers and consumers written before them keep working."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from appeals_common.errors import PoisonEvent
from appeals_common.events import (
    AppealKind,
    AppealReceived,
    AppealThread,
    AppealWithdrawn,
    Attachment,
    Author,
    GeoPoint,
    Platform,
    decode_event,
    new_envelope,
)
from appeals_common.topics import APPEALS_WITHDRAWN, TOPICS

APPEAL_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
WRITTEN = datetime(2026, 11, 23, 6, 15, tzinfo=UTC)
EDITED = datetime(2026, 11, 23, 6, 20, tzinfo=UTC)
BASE = {
    "appeal_id": APPEAL_ID,
    "platform": Platform.VK,
    "kind": AppealKind.COMMENT,
    "page_id": "vk-adm-test",
    "external_id": "wall-222222_3/4",
    "author": Author(platform_id="111111", key="0123456789abcdef01234567"),
    "text": "Яма у дома 5",
    "written_at": WRITTEN,
    "received_at": WRITTEN,
}
FULL = AppealReceived(
    **BASE,
    thread=AppealThread(
        post_id="wall-222222_3",
        post_permalink="https://vk.com/wall-222222_3",
        reply_to_id="2",
    ),
    attachments=(Attachment(type="photo", url="https://sun9-0.userapi.com/x.jpg", ref="p1"),),
    geo=GeoPoint(latitude=57.0, longitude=40.97, place="Иваново"),
    revision=1_790_000_000_000,
    edited_at=EDITED,
)
WITHDRAWN = AppealWithdrawn(
    appeal_id=APPEAL_ID,
    platform=Platform.VK,
    page_id="vk-adm-test",
    external_id="wall-222222_3/4",
    deleted_by="111111",
    withdrawn_at=EDITED,
)


def test_an_appeal_without_the_new_fields_is_revision_zero_with_nothing_attached() -> None:
    appeal = AppealReceived(**BASE)

    assert (appeal.thread, appeal.attachments, appeal.geo) == (None, (), None)
    assert (appeal.revision, appeal.edited_at) == (0, None)


def test_an_event_written_before_the_new_fields_still_decodes() -> None:
    wire = json.loads(new_envelope(AppealReceived(**BASE), source="i", correlation_id="c").encode())
    for field in ("thread", "attachments", "geo", "revision", "edited_at"):
        del wire["payload"][field]

    decoded = decode_event(json.dumps(wire).encode(), AppealReceived)

    assert decoded.payload == AppealReceived(**BASE)


@pytest.mark.parametrize("payload", [FULL, WITHDRAWN], ids=lambda p: p.event_type)
def test_the_new_payloads_round_trip(payload: AppealReceived | AppealWithdrawn) -> None:
    envelope = new_envelope(payload, source="ingest", correlation_id=str(APPEAL_ID))

    assert decode_event(envelope.encode(), type(payload)).payload == payload


def test_the_revision_is_an_exact_integer_on_the_wire() -> None:
    wire = json.loads(new_envelope(FULL, source="i", correlation_id="c").encode())

    assert wire["payload"]["revision"] == 1_790_000_000_000
    assert wire["payload"]["attachments"][0]["type"] == "photo"


@pytest.mark.parametrize(
    "changes",
    [
        {"revision": -1},
        {"geo": {"latitude": 91, "longitude": 0}},
        {"geo": {"latitude": 0, "longitude": 181}},
        {"attachments": [{"type": "photo", "size": 1}]},
        {"thread": {"post": "1"}},
    ],
)
def test_invalid_new_fields_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AppealReceived.model_validate({**BASE, **changes})


def test_a_withdrawal_is_not_an_appeal() -> None:
    raw = new_envelope(WITHDRAWN, source="ingest", correlation_id="c").encode()

    with pytest.raises(PoisonEvent, match=r"^invalid appeal\.received"):
        decode_event(raw, AppealReceived)


def test_withdrawals_have_their_own_topic_partitioned_like_the_appeals() -> None:
    specs = {spec.name: spec for spec in TOPICS}

    assert APPEALS_WITHDRAWN == "appeals.withdrawn.v1"
    assert specs[APPEALS_WITHDRAWN].partitions == specs["appeals.received.v1"].partitions
