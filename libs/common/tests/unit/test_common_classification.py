"""The classification contract: the classifier's detailed fields travel, and events written
before they existed still decode (every new field has a default)."""

import json
import uuid
from datetime import UTC, datetime

from appeals_common.events import (
    AppealClassified,
    AppealKind,
    AppealReceived,
    Author,
    Classification,
    Confidences,
    PlaceMention,
    Platform,
    decode_event,
    new_envelope,
)

NOW = datetime(2026, 11, 23, 6, 15, tzinfo=UTC)
RECEIVED = AppealReceived(
    appeal_id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
    platform=Platform.VK,
    kind=AppealKind.COMMENT,
    page_id="vk-adm-test",
    external_id="wall-1_2",
    author=Author(platform_id="1", key="k"),
    text="В школе № 5 на ул. Ленина нет отопления",
    written_at=NOW,
    received_at=NOW,
)
DETAILED = Classification(
    is_appeal=True,
    category="appeal",
    topic="education.schools",
    topic_name="Школы",
    subtopic="education.schools.teaching",
    subtopic_name="Учителя и учёба",
    totk_section="0002",
    body_type="subordinate_institution",
    body_level="municipal",
    urgent=True,
    confidence=0.91,
    confidences=Confidences(category=0.99, topic=0.91, body_type=0.95, urgency=0.9),
    places=(
        PlaceMention(kind="institution", text="школе № 5", value="школа № 5"),
        PlaceMention(kind="street", text="ул. Ленина", value="улица Ленина"),
    ),
    reason="education.schools 0.91 (школа, …отоп…); urgent: отопление мороз",
    model_version="clf-2026.11-0123abcd",
)


def test_a_detailed_classification_round_trips() -> None:
    envelope = new_envelope(
        AppealClassified(appeal=RECEIVED, classification=DETAILED), source="c", correlation_id="x"
    )

    decoded = decode_event(envelope.encode(), AppealClassified)

    assert decoded.payload.classification == DETAILED


def test_a_classification_from_before_the_detailed_fields_still_decodes() -> None:
    envelope = new_envelope(
        AppealClassified(appeal=RECEIVED, classification=DETAILED), source="c", correlation_id="x"
    )
    wire = json.loads(envelope.encode())
    for field in ("category", "subtopic", "subtopic_name", "totk_section", "body_level"):
        del wire["payload"]["classification"][field]
    del wire["payload"]["classification"]["places"]
    del wire["payload"]["classification"]["confidences"]

    old = decode_event(json.dumps(wire).encode(), AppealClassified).payload.classification

    assert old.category == "appeal"
    assert old.places == ()
    assert old.confidences is None
    assert old.topic == "education.schools"
