"""The events a consumer drains: the demo's appeal texts as each service receives them, every
one a new appeal (its own id), so none is a redelivery."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaProducer

from appeals_common.events import (
    AppealClassified,
    AppealKind,
    AppealReceived,
    AppealRouted,
    Author,
    Classification,
    Envelope,
    Platform,
    new_envelope,
)
from appeals_common.topics import APPEALS_CLASSIFIED, APPEALS_RECEIVED, APPEALS_ROUTED
from tools.demo_appeals import DEMO_APPEALS
from tools.throughput.infra import KAFKA

TEXTS = [a["text"] for a in DEMO_APPEALS if a["expected_topic"] != "not_appeal"]
PAGE, BODY = "vk-adm-ivanovo", "adm-ivanovo"  # the demo city's VK page (config/directory.yaml)
INPUT_TOPIC = {
    "classifier": APPEALS_RECEIVED,
    "router": APPEALS_CLASSIFIED,
    "sla-monitor": APPEALS_ROUTED,
}


def received(i: int) -> AppealReceived:
    now = datetime.now(UTC)
    return AppealReceived(
        appeal_id=uuid.uuid4(), platform=Platform.VK, kind=AppealKind.COMMENT, page_id=PAGE,
        body_id=BODY, external_id=f"bench-{uuid.uuid4().hex}",
        author=Author(platform_id=str(i % 5000), key=f"bench-{i % 5000}"),
        text=TEXTS[i % len(TEXTS)], written_at=now - timedelta(seconds=30), received_at=now,
    )  # fmt: skip


def classifications() -> list[Classification]:
    """The real classifier's reading of each text, made once in-process."""
    from classifier.bootstrap import build_classifier  # the model loads only when asked for
    from classifier.settings import Settings

    model = build_classifier(Settings())
    return [model.classify(text) for text in TEXTS]


Input = AppealReceived | AppealClassified | AppealRouted


def inputs(service: str, n: int) -> Iterator[tuple[uuid.UUID, Envelope[Input]]]:
    """The service's input events, each with its appeal (the key)."""
    read = classifications() if service == "router" else []
    for i in range(n):
        appeal = received(i)
        if service == "classifier":
            payload: Input = appeal
        elif service == "router":
            payload = AppealClassified(appeal=appeal, classification=read[i % len(read)])
        else:
            payload = AppealRouted(
                appeal_id=appeal.appeal_id, agency_id="ivanovo-roads", agency_name="Дороги",
                topic="roads.repair", urgent=i % 10 == 0, platform=Platform.VK, page_id=PAGE,
                routed_at=appeal.received_at, written_at=appeal.written_at,
            )  # fmt: skip
        envelope = new_envelope(payload, source="bench", correlation_id=f"bench-{i}")
        yield appeal.appeal_id, envelope


async def produce(service: str, n: int) -> None:
    """Put n events on the service's input topic, as fast as the producer takes them."""
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, linger_ms=5, acks="all")
    await producer.start()
    try:
        topic = INPUT_TOPIC[service]
        for appeal_id, event in inputs(service, n):
            await producer.send(topic, event.encode(), key=str(appeal_id).encode())
        await producer.flush()
    finally:
        await producer.stop()
