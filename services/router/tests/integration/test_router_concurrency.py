"""Twenty operators at once on the same appeals, through the app in-process and the real
database: one claim, one reassignment, one answer wins each race; the losers hear why (412
with the appeal as it is now, or 409 naming who holds it); nothing is credited to the wrong
agency; and the audit trail is exactly the story of the winners.

Each race starts behind a gate: the test locks the appeal's row from a connection of its
own, waits until every request is queued on that lock (pg_blocking_pids), then lets go, so
all of them act on the same version at the same moment whatever the scheduler does. No
timing is asserted: the wait for the queue is bounded, and only outcomes are checked.
"""

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any

import httpx
import pytest
from router_support import act, caller, routed_appeal, router_app
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_ANSWERED, APPEALS_ROUTED
from router.adapters.orm import assignments
from router.adapters.repository import get_assignment
from router.main import app

pytestmark = pytest.mark.integration

OLD, NEW, ELSEWHERE = "ivanovo-roads", "ivanovo-zhkh", "ivanovo-culture"
OPERATORS = 20
Call = Callable[[], Awaitable[httpx.Response]]
# Every backend waiting, directly or behind another waiter, on the gate's lock.
BEHIND_GATE = text(
    """
    WITH RECURSIVE behind(pid) AS (
        SELECT pid FROM pg_stat_activity WHERE :gate = ANY(pg_blocking_pids(pid))
        UNION
        SELECT a.pid FROM pg_stat_activity a JOIN behind b ON b.pid = ANY(pg_blocking_pids(a.pid))
    )
    SELECT count(*) FROM behind
    """
)
HISTORY_FIELDS = ("action", "actor_name", "from_status", "to_status", "from_agency", "to_agency")


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        # Room for twenty requests holding a connection while they queue on one row, beside
        # the relay's and the consumer's (the default pool is 10 + 10 overflow).
        env.setenv("DATABASE_POOL_SIZE", "30")
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")
        async with router_app():
            yield


@pytest.fixture(scope="module")
async def gatekeeper(infra) -> AsyncIterator[AsyncEngine]:  # type: ignore[no-untyped-def]
    """Connections of the test's own, outside the app's pool: the gate and its watcher."""
    engine = create_async_engine(infra.database_url)
    yield engine
    await engine.dispose()


@asynccontextmanager
async def gate(engine: AsyncEngine, appeal_id: uuid.UUID) -> AsyncIterator[Callable[[int], Any]]:
    """Hold the appeal's row locked until the block ends; yields `queued(n)`, True once n
    requests wait on the lock (False if they never do within 30 s)."""
    async with engine.connect() as holder, holder.begin():
        pid = await holder.scalar(text("SELECT pg_backend_pid()"))
        row = select(assignments.c.appeal_id).where(assignments.c.appeal_id == appeal_id)
        await holder.execute(row.with_for_update())

        async def queued(n: int) -> bool:
            for _ in range(1500):
                async with engine.connect() as watcher:  # a fresh snapshot of the activity
                    if await watcher.scalar(BEHIND_GATE, {"gate": pid}) >= n:
                        return True
                await asyncio.sleep(0.02)
            return False

        yield queued


async def race(
    engine: AsyncEngine, appeal_id: uuid.UUID, calls: Sequence[Call], *, in_order: bool = False
) -> list[httpx.Response]:
    """Start every call, wait until all are queued on the appeal's row, let them go at once.
    `in_order`: each call joins the queue only after the one before it (it goes first)."""
    tasks: list[asyncio.Task[httpx.Response]] = []
    all_queued = True
    async with gate(engine, appeal_id) as queued:
        for call in calls:
            tasks.append(asyncio.create_task(call()))
            if in_order:
                all_queued &= await queued(len(tasks))
        all_queued &= await queued(len(tasks))
    responses = await asyncio.gather(*tasks)
    assert all_queued, f"not all {len(calls)} requests queued on the row"
    return responses


@asynccontextmanager
async def clients(identity, subjects: Sequence[str], **claims: Any) -> AsyncIterator[list[Any]]:  # type: ignore[no-untyped-def]
    async with AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(caller(identity.headers(sub=s, **claims)))
            for s in subjects
        ]


def subjects(kind: str, n: int = OPERATORS) -> list[str]:
    """Distinct subjects (and display names: the test IdP names a user by the subject)."""
    run = uuid.uuid4().hex[:6]
    return [f"{kind}-{i:02d}-{run}" for i in range(n)]


STAFF = {"roles": ("agency_staff",), "agencies": (OLD,)}
CUR = {"roles": ("cur_operator",)}


async def card(client: httpx.AsyncClient, appeal_id: uuid.UUID) -> dict[str, Any]:
    response = await client.get(f"/v1/appeals/{appeal_id}")
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{response.json()["appeal"]["version"]}"'
    return dict(response.json())


async def fresh(client: httpx.AsyncClient) -> tuple[uuid.UUID, dict[str, Any]]:
    """A newly routed appeal of OLD, and how the API shows it before anybody acts."""
    appeal_id = await routed_appeal(OLD)
    return appeal_id, (await card(client, appeal_id))["appeal"]


async def stored(appeal_id: uuid.UUID) -> dict[str, Any]:
    async with app.state.service.deps.sessions() as session:
        row = await get_assignment(session, appeal_id)
    assert row is not None
    return row


def entry(action: str, actor: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The audit record a successful action must leave: `before` and `after` as the API shows."""
    return {
        "action": action,
        "actor_name": actor,
        "from_status": before["status"],
        "to_status": after["status"],
        "from_agency": before["agency_id"],
        "to_agency": after["agency_id"],
        "version": after["version"],
    }


async def assert_story(
    client: httpx.AsyncClient, appeal_id: uuid.UUID, first: int, story: list[dict[str, Any]]
) -> None:
    """The history is the winners' actions in order, one version each from `first` on."""
    history = (await card(client, appeal_id))["history"]
    fields = (*HISTORY_FIELDS, "version")
    assert [{k: h[k] for k in fields} for h in history] == story
    assert [h["version"] for h in history] == list(range(first + 1, first + 1 + len(story)))


def the_winner(responses: Sequence[httpx.Response], ok: int) -> int:
    codes = [r.status_code for r in responses]
    assert codes.count(ok) == 1, Counter(codes)
    return codes.index(ok)


async def test_twenty_claims_at_once_leave_one_holder(running, gatekeeper, identity) -> None:  # type: ignore[no-untyped-def]
    names = subjects("claimer")
    async with clients(identity, names, **STAFF) as staff:
        for _ in range(10):
            appeal_id, before = await fresh(staff[0])
            version = before["version"]
            claims = [partial(act, c, appeal_id, "claim", version=version) for c in staff]
            responses = await race(gatekeeper, appeal_id, claims)
            w = the_winner(responses, 200)
            winner, losers = names[w], [r for i, r in enumerate(responses) if i != w]
            held = f"the appeal is held by {winner}"
            # All sent the version the winner replaced: each is stale, and told by whom.
            assert Counter(r.status_code for r in responses) == {200: 1, 412: OPERATORS - 1}
            for lost in losers:
                current = lost.json()["detail"]["current"]
                assert (current["version"], current["status"], current["holder"]["subject"]) == (
                    version + 1,
                    "claimed",
                    winner,
                )
                assert lost.headers["ETag"] == f'"{version + 1}"'
            # Trying again with the version they were told: the lifecycle names the holder.
            again = [c for i, c in enumerate(staff) if i != w]
            retries = await asyncio.gather(
                *(act(c, appeal_id, "claim", version=version + 1) for c in again)
            )
            assert {(r.status_code, r.json()["detail"]["message"]) for r in retries} == {
                (409, held)
            }
            row = await stored(appeal_id)
            assert (row["status"], row["holder_sub"], row["version"]) == (
                "claimed",
                winner,
                version + 1,
            )
            story = [entry("claim", winner, before, responses[w].json())]
            await assert_story(staff[0], appeal_id, version, story)


async def test_two_reassignments_at_once_move_the_appeal_once(
    running, gatekeeper, identity
) -> None:  # type: ignore[no-untyped-def]
    names, targets = subjects("mover", 2), (NEW, ELSEWHERE)
    async with clients(identity, names, **CUR) as operators:
        for _ in range(5):
            appeal_id, before = await fresh(operators[0])
            version = before["version"]
            moves = [
                partial(act, c, appeal_id, "reassign", {"agency_id": t}, version=version)
                for c, t in zip(operators, targets, strict=True)
            ]
            responses = await race(gatekeeper, appeal_id, moves)
            w = the_winner(responses, 200)
            lost = responses[1 - w]
            assert lost.status_code == 412, lost.text
            current = lost.json()["detail"]["current"]
            assert (current["agency_id"], current["version"], current["routing"]) == (
                targets[w],
                version + 1,
                1,
            )
            row = await stored(appeal_id)
            assert (row["agency_id"], row["status"], row["routing"]) == (targets[w], "routed", 1)
            story = [entry("reassign", names[w], before, responses[w].json())]
            await assert_story(operators[0], appeal_id, version, story)


async def test_an_answer_racing_a_reassignment_is_credited_to_the_agency_that_gave_it(  # type: ignore[no-untyped-def]
    running, gatekeeper, identity, infra
) -> None:
    [staff_name], [cur_name] = subjects("answerer", 1), subjects("triager", 1)
    won: Counter[str] = Counter()
    async with (
        clients(identity, [staff_name], **STAFF) as [staff],
        clients(identity, [cur_name], **CUR) as [operator],
        TopicReader(infra.kafka_bootstrap_servers, APPEALS_ANSWERED) as answered,
        TopicReader(infra.kafka_bootstrap_servers, APPEALS_ROUTED) as routed,
    ):
        for i in range(10):
            appeal_id, before = await fresh(operator)
            version = before["version"]
            answer = partial(act, staff, appeal_id, "answer", {"text": "Заделаем"}, version=version)
            move = partial(
                act, operator, appeal_id, "reassign", {"agency_id": NEW}, version=version
            )
            # Each goes first in turn, so both outcomes are raced for (both are in flight).
            if i % 2 == 0:
                a, m = await race(gatekeeper, appeal_id, [answer, move], in_order=True)
            else:
                m, a = await race(gatekeeper, appeal_id, [move, answer], in_order=True)
            after = await card(operator, appeal_id)
            of_it = partial(_about, appeal_id)
            if a.status_code == 201:
                won["answer"] += 1
                assert m.status_code == 412, m.text
                assert m.json()["detail"]["current"]["agency_id"] == OLD
                assert (after["appeal"]["status"], after["appeal"]["agency_id"]) == (
                    "answered",
                    OLD,
                )
                assert [x["agency_id"] for x in after["answers"]] == [OLD]
                [event] = await answered.wait_for(of_it)
                assert _payload(event)["agency_id"] == OLD
                story = [entry("answer", staff_name, before, a.json())]
            else:
                won["reassign"] += 1
                assert m.status_code == 200, m.text
                assert a.status_code == 404, a.text  # the old agency no longer sees it
                assert (after["appeal"]["status"], after["appeal"]["agency_id"]) == ("routed", NEW)
                assert (after["answers"], after["appeal"]["answered_at"]) == ([], None)
                [event] = await routed.wait_for(partial(_moved, appeal_id))
                assert _payload(event)["agency_id"] == NEW
                story = [entry("reassign", cur_name, before, m.json())]
            await assert_story(operator, appeal_id, version, story)
    assert won["answer"] and won["reassign"], won


def _payload(record: Any) -> dict[str, Any]:
    return dict(json.loads(record.value)["payload"])


def _about(appeal_id: uuid.UUID, record: Any) -> bool:
    return bool(_payload(record)["appeal_id"] == str(appeal_id))


def _moved(appeal_id: uuid.UUID, record: Any) -> bool:
    """The appeal's routing after its first move (the topic also carries its first routing)."""
    return _about(appeal_id, record) and _payload(record)["routing"] == 1


async def test_twenty_answers_with_one_key_store_one_answer(running, gatekeeper, identity) -> None:  # type: ignore[no-untyped-def]
    [name] = subjects("double-clicker", 1)
    async with clients(identity, [name], **STAFF) as [staff]:
        appeal_id, before = await fresh(staff)
        version, key = before["version"], {"Idempotency-Key": f"answer-{uuid.uuid4()}"}
        body = {"text": "Яму заделают до пятницы"}
        send = partial(act, staff, appeal_id, "answer", body, version=version, headers=key)
        responses = await race(gatekeeper, appeal_id, [send] * OPERATORS)
        w = the_winner(responses, 201)
        after = await card(staff, appeal_id)
        [answer] = after["answers"]
        assert responses[w].json()["answer"]["response_id"] == answer["response_id"]
        for r in responses:
            assert r.status_code in (201, 200, 412), r.text
            if r.status_code == 200:  # a replay returns the stored answer
                assert r.json()["answer"]["response_id"] == answer["response_id"]
        # The same request again, later, with the version it was first sent with: the answer.
        retry = await send()
        assert (retry.status_code, retry.json()["answer"]["response_id"]) == (
            200,
            answer["response_id"],
        )
        assert len((await card(staff, appeal_id))["answers"]) == 1
        story = [entry("answer", name, before, responses[w].json())]
        await assert_story(staff, appeal_id, version, story)


async def test_twenty_answers_with_one_key_all_get_the_stored_answer(  # type: ignore[no-untyped-def]
    running, gatekeeper, identity
) -> None:
    async with clients(identity, subjects("double-clicker", 1), **STAFF) as [staff]:
        appeal_id, before = await fresh(staff)
        version = before["version"]
        key = {"Idempotency-Key": f"answer-{uuid.uuid4()}"}
        send = partial(
            act, staff, appeal_id, "answer", {"text": "Да"}, version=version, headers=key
        )
        responses = await race(gatekeeper, appeal_id, [send] * OPERATORS)
        assert sorted(r.status_code for r in responses) == [200] * (OPERATORS - 1) + [201]
        assert len({r.json()["answer"]["response_id"] for r in responses}) == 1


async def test_twenty_answers_with_different_keys_store_one_answer(
    running, gatekeeper, identity
) -> None:  # type: ignore[no-untyped-def]
    names = subjects("answerer")
    async with clients(identity, names, **STAFF) as staff:
        appeal_id, before = await fresh(staff[0])
        version = before["version"]
        sends = [
            partial(
                act,
                c,
                appeal_id,
                "answer",
                {"text": f"Ответ {i}"},
                version=version,
                headers={"Idempotency-Key": f"answer-{uuid.uuid4()}"},
            )
            for i, c in enumerate(staff)
        ]
        responses = await race(gatekeeper, appeal_id, sends)
        w = the_winner(responses, 201)
        assert Counter(r.status_code for r in responses) == {201: 1, 412: OPERATORS - 1}
        assert {
            r.json()["detail"]["current"]["status"] for r in responses if r is not responses[w]
        } == {"answered"}
        [answer] = (await card(staff[0], appeal_id))["answers"]
        assert (answer["response_id"], answer["text"], answer["author_name"]) == (
            responses[w].json()["answer"]["response_id"],
            f"Ответ {w}",
            names[w],
        )
        story = [entry("answer", names[w], before, responses[w].json())]
        await assert_story(staff[0], appeal_id, version, story)


async def test_the_audit_trail_is_the_story_of_the_winners(running, gatekeeper, identity) -> None:  # type: ignore[no-untyped-def]
    """Four rounds on one appeal, twenty operators each (two for the move): the trail lists
    the four winners, in order, with consecutive versions; the losers left nothing."""
    staff_names, cur_names = subjects("staff"), subjects("cur")
    async with (
        clients(identity, staff_names, **STAFF) as staff,
        clients(identity, cur_names, **CUR) as operators,
    ):
        appeal_id, first = await fresh(operators[0])
        story: list[dict[str, Any]] = []
        before = first
        rounds: list[tuple[str, list[Any], list[str], dict[str, Any], int]] = [
            ("claim", staff, staff_names, {}, 200),
            ("reassign", operators[:2], cur_names[:2], {"agency_id": NEW}, 200),
            ("claim", operators, cur_names, {}, 200),
            ("answer", operators, cur_names, {"text": "Сделано"}, 201),
        ]
        for action, who, names, body, ok in rounds:
            calls = [
                partial(act, c, appeal_id, action, body, version=before["version"]) for c in who
            ]
            responses = await race(gatekeeper, appeal_id, calls)
            w = the_winner(responses, ok)
            assert {r.status_code for r in responses} <= {ok, 409, 412}
            after = responses[w].json()
            story.append(entry(action, names[w], before, after))
            before = after
        # The answer could only be the holder's: the third round's winner.
        assert story[3]["actor_name"] == story[2]["actor_name"]
        await assert_story(operators[0], appeal_id, first["version"], story)
        assert [(e["from_agency"], e["to_agency"]) for e in story] == [
            (OLD, OLD),
            (OLD, NEW),
            (NEW, NEW),
            (NEW, NEW),
        ]
        assert [e["to_status"] for e in story] == ["claimed", "routed", "claimed", "answered"]
