"""Corrections the router publishes reach the training data through the export command."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from appeals_common.events import ClassificationCorrected, new_envelope
from appeals_common.kafka import KafkaPublisher
from appeals_common.topics import CLASSIFICATION_CORRECTIONS
from classifier.corrections import export

pytestmark = pytest.mark.integration


async def test_published_corrections_are_exported_once(infra, tmp_path: Path) -> None:
    appeal_id = uuid.uuid4()
    corrected = ClassificationCorrected(
        appeal_id=appeal_id,
        text=f"у дома 3 провалился асфальт {appeal_id}",
        topic_before="other",
        topic_after="roads.repair",
        agency_before="cur-ivanovo",
        agency_after="ivanovo-roads",
        corrected_at=datetime.now(UTC),
    )
    publisher = KafkaPublisher(infra.kafka_bootstrap_servers, client_id="test-corrections")
    await publisher.start()
    try:
        envelope = new_envelope(corrected, source="router", correlation_id=str(appeal_id))
        await publisher.publish(CLASSIFICATION_CORRECTIONS, envelope, key=str(appeal_id))
    finally:
        await publisher.stop()
    out = tmp_path / "operators.jsonl"
    group = f"classifier-corrections-it-{uuid.uuid4().hex[:6]}"

    first = await export(infra.kafka_bootstrap_servers, group, out, timeout_s=30)
    second = await export(infra.kafka_bootstrap_servers, group, out, timeout_s=10)

    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = [line for line in lines if line["appeal_id"] == str(appeal_id)]
    assert [(m["topic"], m["urgent"]) for m in mine] == [("roads.repair", None)]
    assert first >= 1
    assert second == 0
