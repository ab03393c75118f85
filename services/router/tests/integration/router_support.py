"""Shared by the router's integration tests: the app in-process, appeals routed through the
real handler into the real database, and callers with tokens from the dev IdP."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from appeals_common.events import (
    AppealClassified,
    AppealKind,
    AppealReceived,
    Author,
    Classification,
    Envelope,
    Platform,
    TopicCandidate,
    new_envelope,
)
from router.handlers import handle_appeal_classified
from router.main import app

# Pages' owning bodies and the territory they put an appeal on (config/directory.yaml).
BODY_OF = {
    "ivanovo-roads": ("adm-ivanovo", "roads.repair"),
    "ivanovo-zhkh": ("adm-ivanovo", "housing.heating"),
}


@asynccontextmanager
async def router_app() -> AsyncIterator[None]:
    """The router in-process; its consumers resume where the last test app left off."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")
        async with app.router.lifespan_context(app):
            yield


def caller(headers: dict[str, str]) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router", headers=headers
    )


def classified_event(
    text: str,
    topic: str,
    *,
    body_id: str = "adm-ivanovo",
    urgent: bool = False,
    confidence: float = 0.9,
    topic_name: str | None = None,
    appeal_id: uuid.UUID | None = None,
    revision: int = 0,
    edited_at: datetime | None = None,
    candidates: tuple[TopicCandidate, ...] = (),
) -> Envelope[AppealClassified]:
    """A VK comment on the city's page as the classifier would announce it."""
    now = datetime.now(UTC)
    appeal = AppealReceived(
        appeal_id=appeal_id or uuid.uuid4(),
        revision=revision,
        edited_at=edited_at,
        platform=Platform.VK,
        kind=AppealKind.COMMENT,
        page_id="vk-adm-ivanovo",
        body_id=body_id,
        external_id=uuid.uuid4().hex,
        author=Author(platform_id="111", key="k"),
        text=text,
        written_at=now - timedelta(minutes=5),
        received_at=now,
    )
    classification = Classification(
        is_appeal=True,
        topic=topic,
        topic_name=topic_name or topic,
        body_type="municipal_administration",
        urgent=urgent,
        confidence=confidence,
        reason="test",
        model_version="test",
        candidates=candidates,
    )
    return new_envelope(
        AppealClassified(appeal=appeal, classification=classification),
        source="test",
        correlation_id=f"corr-{appeal.appeal_id}",
    )


async def routed_appeal(
    agency_id: str,
    text: str = "Яма на дороге у дома 5",
    *,
    appeal_id: uuid.UUID | None = None,
    revision: int = 0,
    edited_at: datetime | None = None,
) -> uuid.UUID:
    """Route an appeal to `agency_id` through the router's own handler (a fresh one, or a
    revision of `appeal_id`); its id."""
    body_id, topic = BODY_OF[agency_id]
    event = classified_event(
        text, topic, body_id=body_id, appeal_id=appeal_id, revision=revision, edited_at=edited_at
    )
    await handle_appeal_classified(event, app.state.service.deps)
    return event.payload.appeal.appeal_id


async def act(
    client: httpx.AsyncClient,
    appeal_id: uuid.UUID,
    action: str,
    body: dict[str, object] | None = None,
    *,
    version: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST an action with If-Match: the given version, or the one the database holds now."""
    if version is None:
        version = await current_version(appeal_id)
    return await client.post(
        f"/v1/appeals/{appeal_id}/{action}",
        json=body or {},
        headers={"If-Match": f'"{version}"', **(headers or {})},
    )


async def failed_delivery(client: httpx.AsyncClient, appeal_id: uuid.UUID) -> uuid.UUID:
    """Answer the appeal and have its delivery fail, as the worker would report it: the
    delivery operators decide on."""
    from appeals_common.events import AnswerFailed, DeliveryFailure
    from router.delivery_reports import handle_answer_failed

    answered = await act(client, appeal_id, "answer", {"text": "Ответ для проверки доставки"})
    assert answered.status_code == 201, answered.text
    card = (await client.get(f"/v1/appeals/{appeal_id}")).json()
    [delivery] = card["answers"][-1]["deliveries"]
    failed = AnswerFailed(
        delivery_id=delivery["delivery_id"],
        appeal_id=appeal_id,
        response_id=delivery["response_id"],
        platform=Platform.VK,
        round=0,
        reason=DeliveryFailure.PLATFORM_ERROR,
        detail="HTTP 502",
        failed_at=datetime.now(UTC),
    )
    event = new_envelope(failed, source="test", correlation_id=str(appeal_id))
    await handle_answer_failed(event, app.state.service.deps)
    return uuid.UUID(delivery["delivery_id"])


async def current_version(appeal_id: uuid.UUID) -> int:
    from router.adapters.repository import get_assignment

    async with app.state.service.deps.sessions() as session:
        row = await get_assignment(session, appeal_id)
    return int(row["version"]) if row else 1


async def config_version(path: str) -> int:
    """The stored version an admin operation at `path` changes: the rules' or the directory's."""
    from router.adapters import config_store

    kind = "rules" if path.startswith("/v1/admin/rules") else "directory"
    async with app.state.service.deps.sessions() as session:
        stored = await config_store.latest(session, kind)
    assert stored is not None
    return stored.version
