"""Event contracts: envelope round trips and the reasons `decode_event` refuses bytes."""

import json
import uuid
from datetime import UTC, datetime
from types import FunctionType, ModuleType
from typing import Any

import pytest

from appeals_common import events
from appeals_common.errors import PoisonEvent
from appeals_common.events import (
    AppealAnswered,
    AppealClassified,
    AppealKind,
    AppealReceived,
    AppealRouted,
    Author,
    Classification,
    EventPayload,
    Platform,
    ResponseChannel,
    SlaBreached,
    decode_event,
    new_envelope,
)
from appeals_common.events import appeals as appeals_module
from appeals_common.events import envelope as envelope_module

APPEAL_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
WRITTEN = datetime(2026, 11, 23, 6, 15, tzinfo=UTC)
LATER = datetime(2026, 11, 23, 6, 16, 30, 123456, tzinfo=UTC)

RECEIVED = AppealReceived(
    appeal_id=APPEAL_ID,
    platform=Platform.VK,
    kind=AppealKind.COMMENT,
    page_id="vk-adm-test",
    body_id="adm-test",
    external_id="wall-222222_3/4",
    permalink="https://vk.com/wall-222222_3?reply=4",
    author=Author(platform_id="111111", key="0123456789abcdef01234567"),
    text="Третий день нет отопления в доме 5 по ул. Ленина",
    written_at=WRITTEN,
    received_at=LATER,
)
CLASSIFIED = AppealClassified(
    appeal=RECEIVED,
    classification=Classification(
        is_appeal=True,
        topic="housing.heating",
        topic_name="Отопление",
        body_type="overseen_organisation",
        urgent=False,
        confidence=0.85,
        reason="2 stems of housing.heating",
        model_version="rules-0.1",
    ),
)
ROUTED = AppealRouted(
    appeal_id=APPEAL_ID,
    agency_id="test-zhkh",
    agency_name="Управление ЖКХ",
    topic="housing.heating",
    urgent=False,
    platform=Platform.VK,
    page_id="vk-adm-test",
    routed_at=LATER,
    written_at=WRITTEN,
)
ANSWERED = AppealAnswered(
    appeal_id=APPEAL_ID,
    response_id=uuid.UUID("00000000-0000-4000-8000-000000000002"),
    agency_id=None,
    channel=ResponseChannel.PLATFORM,
    answered_at=LATER,
)
BREACHED = SlaBreached(
    appeal_id=APPEAL_ID,
    agency_id="test-zhkh",
    deadline=WRITTEN,
    detected_at=LATER,
    target_seconds=86_400,
)
PAYLOADS = [RECEIVED, CLASSIFIED, ROUTED, ANSWERED, BREACHED]


def _wire(payload: EventPayload = RECEIVED, **changes: Any) -> dict[str, Any]:
    envelope = new_envelope(payload, source="ingest", correlation_id=str(APPEAL_ID))
    return {**json.loads(envelope.encode()), **changes}


def _bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.event_type)
def test_an_encoded_envelope_decodes_to_an_equal_envelope(payload: EventPayload) -> None:
    envelope = new_envelope(payload, source="test", correlation_id="corr-1")

    decoded = decode_event(envelope.encode(), type(payload))

    assert decoded == envelope
    assert decoded.payload == payload
    assert decoded.type == payload.event_type
    assert decoded.schema_version == 1


def test_new_envelope_fills_the_metadata() -> None:
    event_id = uuid.UUID("00000000-0000-4000-8000-0000000000ee")

    envelope = new_envelope(ROUTED, source="router", correlation_id="c", event_id=event_id)

    assert envelope.id == event_id
    assert envelope.type == "appeal.routed"
    assert envelope.source == "router"
    assert envelope.correlation_id == "c"
    assert envelope.time.tzinfo is not None


def test_new_envelope_without_an_event_id_gives_each_event_its_own_id() -> None:
    first = new_envelope(ANSWERED, source="router", correlation_id="c")
    second = new_envelope(ANSWERED, source="router", correlation_id="c")

    assert first.id != second.id


def test_the_wire_format_is_utf8_json_with_readable_cyrillic_values() -> None:
    wire = json.loads(new_envelope(RECEIVED, source="ingest", correlation_id="c").encode())

    assert wire["type"] == "appeal.received"
    assert wire["payload"]["text"] == RECEIVED.text
    assert wire["payload"]["written_at"] == "2026-11-23T06:15:00Z"


def test_an_empty_record_is_poison() -> None:
    with pytest.raises(PoisonEvent, match="empty record value"):
        decode_event(None, AppealReceived)


@pytest.mark.parametrize("raw", [b"", b"not json", b"\xff\xfe\x00", b"[]", b'"text"', b"{"])
def test_bytes_that_are_not_an_envelope_are_poison(raw: bytes) -> None:
    with pytest.raises(PoisonEvent, match=r"^invalid appeal\.received: "):
        decode_event(raw, AppealReceived)


def test_an_envelope_of_another_type_is_poison() -> None:
    raw = _bytes(_wire(type="appeal.routed"))

    with pytest.raises(PoisonEvent, match=r"expected appeal\.received, got appeal\.routed"):
        decode_event(raw, AppealReceived)


def test_another_event_decoded_as_the_wrong_payload_type_is_poison() -> None:
    raw = new_envelope(ANSWERED, source="router", correlation_id="c").encode()

    with pytest.raises(PoisonEvent, match=r"invalid appeal\.routed"):
        decode_event(raw, AppealRouted)


def test_a_newer_schema_version_is_poison() -> None:
    raw = _bytes(_wire(schema_version=2))

    with pytest.raises(PoisonEvent, match="unsupported schema version 2"):
        decode_event(raw, AppealReceived)


def test_schema_version_zero_is_poison() -> None:
    with pytest.raises(PoisonEvent, match="schema_version"):
        decode_event(_bytes(_wire(schema_version=0)), AppealReceived)


@pytest.mark.parametrize("field", ["id", "type", "source", "time", "correlation_id", "payload"])
def test_an_envelope_missing_a_field_is_poison(field: str) -> None:
    wire = _wire()
    del wire[field]

    with pytest.raises(PoisonEvent, match=f"{field}: Field required"):
        decode_event(_bytes(wire), AppealReceived)


def test_a_payload_missing_a_field_is_poison_and_the_reason_names_it() -> None:
    wire = _wire()
    del wire["payload"]["text"]

    with pytest.raises(PoisonEvent, match=r"payload\.text: Field required"):
        decode_event(_bytes(wire), AppealReceived)


def test_an_extra_envelope_field_is_poison() -> None:
    with pytest.raises(PoisonEvent, match="trace_id: Extra inputs are not permitted"):
        decode_event(_bytes(_wire(trace_id="abc")), AppealReceived)


def test_an_extra_payload_field_is_poison() -> None:
    wire = _wire()
    wire["payload"]["priority"] = "high"

    with pytest.raises(PoisonEvent, match=r"payload\.priority: Extra inputs are not permitted"):
        decode_event(_bytes(wire), AppealReceived)


def test_an_unknown_platform_is_poison() -> None:
    wire = _wire()
    wire["payload"]["platform"] = "facebook"

    with pytest.raises(PoisonEvent, match=r"payload\.platform"):
        decode_event(_bytes(wire), AppealReceived)


@pytest.mark.parametrize("field", ["written_at", "received_at"])
def test_a_naive_payload_datetime_is_poison(field: str) -> None:
    wire = _wire()
    wire["payload"][field] = "2026-11-23T09:15:00"

    with pytest.raises(PoisonEvent, match=rf"payload\.{field}"):
        decode_event(_bytes(wire), AppealReceived)


def test_a_naive_envelope_time_is_poison() -> None:
    raw = _bytes(_wire(time="2026-11-23T09:15:00"))

    with pytest.raises(PoisonEvent, match=r"^invalid appeal\.received: time"):
        decode_event(raw, AppealReceived)


def test_all_lists_exactly_the_public_names_of_the_package() -> None:
    public = {
        name
        for name, value in vars(events).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }

    assert events.__all__ == sorted(events.__all__)
    assert set(events.__all__) == public
    assert len(events.__all__) == len(set(events.__all__))


@pytest.mark.parametrize("module", [appeals_module, envelope_module], ids=lambda m: m.__name__)
def test_every_class_and_function_defined_in_a_contract_module_is_exported(
    module: ModuleType,
) -> None:
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and isinstance(value, type | FunctionType)
        and value.__module__ == module.__name__
    }

    assert defined
    assert defined <= set(events.__all__)
