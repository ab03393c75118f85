"""Classified appeals and deadlines a batch at a time, on the real database and broker: one
transaction routes the batch as one at a time would. An edit behind its appeal in the same
batch is taken as an edit, a repeat changes nothing, a deletion seen before the routing
stands, what is not an appeal is not stored, and each routed appeal is announced once."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from router_support import classified_event, router_app
from sqlalchemy import select

from appeals_common.events import (
    AppealRouted,
    AppealWithdrawn,
    Platform,
    SlaDeadlineSet,
    decode_event,
    new_envelope,
)
from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_ROUTED
from router.adapters.orm import assignments, text_revisions
from router.clarifications import handle_classified_batch
from router.deadlines import handle_deadlines
from router.handlers import handle_appeal_withdrawn
from router.main import app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


def _edited(event, revision: int, text: str):  # type: ignore[no-untyped-def]
    appeal = event.payload.appeal.model_copy(
        update={"revision": revision, "text": text, "edited_at": datetime.now(UTC)}
    )
    return event.model_copy(update={"payload": event.payload.model_copy(update={"appeal": appeal})})


async def test_a_batch_routes_each_appeal_once_as_one_at_a_time_would(infra, running) -> None:  # type: ignore[no-untyped-def]
    deps = app.state.service.deps
    fresh = [classified_event(f"Яма на дороге у дома {n}", "roads.repair") for n in range(40)]
    edit = _edited(fresh[5], 1, "Яма на дороге у дома 5, уже две недели")
    deleted = classified_event("Нет отопления в доме 3", "housing.heating")
    deleted_id = deleted.payload.appeal.appeal_id
    withdrawal = AppealWithdrawn(
        appeal_id=deleted_id, platform=Platform.VK, page_id="vk-adm-ivanovo",
        external_id=deleted.payload.appeal.external_id,
        withdrawn_at=datetime.now(UTC) - timedelta(minutes=1),
    )  # fmt: skip
    await handle_appeal_withdrawn(new_envelope(withdrawal, source="t", correlation_id="c"), deps)
    spam = classified_event("Купите наши окна недорого", "not_appeal")
    spam = spam.model_copy(update={"payload": spam.payload.model_copy(update={
        "classification": spam.payload.classification.model_copy(update={"is_appeal": False})
    })})  # fmt: skip
    batch = [*fresh[:20], edit, fresh[9], deleted, spam, *fresh[20:]]
    routed_ids = {e.payload.appeal.appeal_id for e in [*fresh, deleted]}

    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_ROUTED) as routed:
        await handle_classified_batch(batch, deps)
        await routed.wait_for(
            lambda r: decode_event(r.value, AppealRouted).payload.appeal_id in routed_ids, count=41
        )
        every = [decode_event(r.value, AppealRouted) for r in await routed.drain(1.0)]
    announced = Counter(e.payload.appeal_id for e in every if e.payload.appeal_id in routed_ids)
    assert announced == dict.fromkeys(routed_ids, 1)

    ids = [*routed_ids, spam.payload.appeal.appeal_id]
    async with deps.sessions() as session:
        rows = {
            r.appeal_id: r
            for r in await session.execute(
                select(assignments).where(assignments.c.appeal_id.in_(ids))
            )
        }
        revisions = Counter(
            await session.scalars(
                select(text_revisions.c.appeal_id).where(text_revisions.c.appeal_id.in_(ids))
            )
        )
    assert set(rows) == routed_ids  # what is not an appeal was not stored
    edited = rows[fresh[5].payload.appeal.appeal_id]
    assert (edited.revision, edited.text) == (1, "Яма на дороге у дома 5, уже две недели")
    assert revisions[fresh[5].payload.appeal.appeal_id] == 2
    assert rows[fresh[6].payload.appeal.appeal_id].text == "Яма на дороге у дома 6"
    assert rows[deleted_id].withdrawn_at is not None
    assert rows[fresh[9].payload.appeal.appeal_id].revision == 0


async def test_deadlines_in_a_batch_keep_each_appeals_first(running) -> None:  # type: ignore[no-untyped-def]
    deps = app.state.service.deps
    events = [classified_event(f"Яма у дома {n}", "roads.repair") for n in range(3)]
    await handle_classified_batch(events, deps)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)

    def deadline(event, at: datetime):  # type: ignore[no-untyped-def]
        payload = SlaDeadlineSet(
            appeal_id=event.payload.appeal.appeal_id, agency_id="ivanovo-roads", deadline=at,
            target_seconds=3600,
        )  # fmt: skip
        return new_envelope(payload, source="t", correlation_id="c")

    first = [deadline(e, soon) for e in events]
    await handle_deadlines(
        [first[0], first[1], deadline(events[0], soon + timedelta(hours=5))], deps
    )
    await handle_deadlines([deadline(events[1], soon + timedelta(hours=9)), first[2]], deps)

    async with deps.sessions() as session:
        due = dict(
            (await session.execute(
                select(assignments.c.appeal_id, assignments.c.due_at).where(
                    assignments.c.appeal_id.in_([e.payload.appeal.appeal_id for e in events])
                )
            )).all()
        )  # fmt: skip
    assert set(due.values()) == {soon}
    assert len(due) == 3
