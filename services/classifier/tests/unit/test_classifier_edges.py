"""The handler with a fake publisher, the HTTP edge, metrics, and a domain free of I/O."""

import ast
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from appeals_common.events import (
    AppealClassified,
    AppealKind,
    AppealReceived,
    Author,
    Envelope,
    Platform,
    new_envelope,
)
from appeals_common.topics import APPEALS_CLASSIFIED
from classifier import metrics
from classifier.domain.classify import AppealClassifier
from classifier.entrypoints import api
from classifier.handlers import handle_appeal_received, handle_received_batch

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "classifier" / "domain"
IO_MODULES = {"fastapi", "aiokafka", "sqlalchemy", "asyncpg", "httpx", "sklearn", "pymorphy3"}


class FakePublisher:
    def __init__(self) -> None:
        self.published: list[tuple[str, Envelope[Any], str | None]] = []

    async def publish_many(self, events: Sequence[tuple[str, Envelope[Any], str]]) -> None:
        self.published.extend(events)


def _received(text: str) -> AppealReceived:
    now = datetime.now(UTC)
    return AppealReceived(
        appeal_id=uuid.uuid4(),
        platform=Platform.VK,
        kind=AppealKind.COMMENT,
        page_id="vk-adm",
        external_id="1",
        author=Author(platform_id="u", key="k"),
        text=text,
        written_at=now,
        received_at=now,
    )


async def test_the_handler_publishes_the_classification_keyed_by_appeal(
    classifier: AppealClassifier,
) -> None:
    publisher = FakePublisher()
    appeal = _received("в подъезде запах газа")
    before = REGISTRY.get_sample_value(
        "classifier_appeals_classified_total",
        {
            "topic": "housing.gas",
            "topic_name": "Газоснабжение",
            "category": "appeal",
            "is_appeal": "true",
            "urgent": "true",
        },
    )

    await handle_appeal_received(
        new_envelope(appeal, source="test", correlation_id="c-1"),
        publisher=publisher,  # type: ignore[arg-type]
        classifier=classifier,
    )

    [(topic, event, key)] = publisher.published
    assert (topic, key, event.correlation_id) == (APPEALS_CLASSIFIED, str(appeal.appeal_id), "c-1")
    assert event.id == uuid.uuid5(appeal.appeal_id, "classified")
    payload: AppealClassified = event.payload
    assert payload.classification.model_version == classifier.version
    assert payload.classification.urgent is True
    after = REGISTRY.get_sample_value(
        "classifier_appeals_classified_total",
        {
            "topic": "housing.gas",
            "topic_name": "Газоснабжение",
            "category": "appeal",
            "is_appeal": "true",
            "urgent": "true",
        },
    )
    assert (after or 0) == (before or 0) + 1


async def test_each_revision_of_an_appeal_is_its_own_classified_event(
    classifier: AppealClassifier,
) -> None:
    publisher = FakePublisher()
    original = _received("яма на дороге")
    edit = original.model_copy(update={"revision": 1_700_000_000_000, "text": "яма у дома 5"})
    for appeal in (original, edit, edit):  # the edit redelivered
        await handle_appeal_received(
            new_envelope(appeal, source="test", correlation_id="c-2"),
            publisher=publisher,  # type: ignore[arg-type]
            classifier=classifier,
        )
    ids = [event.id for _, event, _ in publisher.published]
    assert ids[0] == uuid.uuid5(original.appeal_id, "classified")
    assert ids[1] == ids[2] == uuid.uuid5(original.appeal_id, "classified:1700000000000")


async def test_post_classify_returns_the_classification(classifier: AppealClassifier) -> None:
    app = FastAPI()
    app.include_router(api.router)
    app.state.service = type("Service", (), {"classifier": classifier})()

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        response = await client.post("/v1/classify", json={"text": "в школе № 5 плохо кормят"})
        too_long = await client.post("/v1/classify", json={"text": "а" * 50_001})

    assert response.status_code == 200
    body = response.json()
    assert body["topic"] == "education.schools"
    assert body["places"] == [{"kind": "institution", "text": "школе № 5", "value": "школа № 5"}]
    assert too_long.status_code == 422


def test_the_model_version_and_triage_share_are_on_metrics() -> None:
    metrics.model_loaded("clf-test-1")
    window = metrics.TriageWindow(size=4)

    shares = [window.add(t) for t in (True, False, False, False, False)]

    assert REGISTRY.get_sample_value("classifier_model_info", {"version": "clf-test-1"}) == 1.0
    assert shares == [1.0, 0.5, 1 / 3, 0.25, 0.0]


def test_the_domain_imports_no_io() -> None:
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        roots = {name.split(".")[0] for name in imported}
        assert not roots & IO_MODULES, (path.name, roots & IO_MODULES)


async def test_a_batch_is_classified_and_published_in_one_send_in_order(
    classifier: AppealClassifier,
) -> None:
    calls: list[int] = []

    class CountingPublisher(FakePublisher):
        async def publish_many(self, events: Sequence[tuple[str, Envelope[Any], str]]) -> None:
            calls.append(len(events))
            await super().publish_many(events)

    publisher = CountingPublisher()
    texts = ["в подъезде запах газа", "яма на дороге", "спасибо за работу", "нет воды"]
    appeals = [_received(t) for t in texts]
    await handle_received_batch(
        [new_envelope(a, source="test", correlation_id=f"c-{i}") for i, a in enumerate(appeals)],
        publisher=publisher,
        classifier=classifier,
    )
    assert calls == [4]
    assert [key for _, _, key in publisher.published] == [str(a.appeal_id) for a in appeals]
    results = [event.payload.classification for _, event, _ in publisher.published]
    assert results == [classifier.classify(t) for t in texts]
