"""The comment poller against local fakes of OK and MAX, the real Kafka and the real
PostgreSQL: new comments land on appeals.received.v1 once across polls, across two concurrent
pollers and across a restart; a failing API is backed off and recovered from; a 429 holds."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fakes.max_api import FakeMax
from fakes.ok_api import FakeOk
from fakes.server import serve
from poll_support import (
    MAX_TOKEN,
    OK_KEYS,
    appeal_of,
    create_held,
    cursor_row,
    external_id,
    make_due,
    max_page,
    ok_page,
    page_of,
    polling_ingest,
)

from appeals_common.testing import TopicReader
from appeals_common.topics import APPEALS_ANSWERED, APPEALS_RECEIVED
from ingest.bootstrap import Ingest

pytestmark = pytest.mark.integration

NOW_MS = int(time.time() * 1000) - 3_600_000


@pytest.fixture
async def apis() -> AsyncIterator[tuple[FakeOk, FakeMax, str, str]]:
    group = str(uuid.uuid4().int % 10**12)
    ok = FakeOk(**OK_KEYS, group_id=group)
    fake_max = FakeMax(token=MAX_TOKEN, chat_id=-(uuid.uuid4().int % 10**12))
    async with serve(ok.app()) as ok_url, serve(fake_max.app()) as max_url:
        yield ok, fake_max, ok_url, max_url


@pytest.fixture
async def received(infra) -> AsyncIterator[TopicReader]:  # type: ignore[no-untyped-def]
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_RECEIVED) as reader:
        yield reader


@pytest.fixture
async def answered(infra) -> AsyncIterator[TopicReader]:  # type: ignore[no-untyped-def]
    async with TopicReader(infra.kafka_bootstrap_servers, APPEALS_ANSWERED) as reader:
        yield reader


@pytest.fixture
async def ingest(infra, apis, unique) -> AsyncIterator[Ingest]:  # type: ignore[no-untyped-def]
    ok, fake_max, ok_url, max_url = apis
    async with polling_ingest(ok_url, max_url) as service:
        assert service.store is not None
        for page in (
            ok_page(unique("ok-poll"), ok.group_id),
            max_page(unique("max-poll"), fake_max.chat_id),
        ):
            await create_held(service, page)
        yield service
        for page in list(service.pages):
            if page.id.startswith(unique("")):
                await service.store.admin.delete(page.id)


def page_ids(ingest: Ingest, apis: Any) -> dict[str, str]:
    """This test's pages: the ones whose group and channel the fakes serve."""
    ok, fake_max, _, _ = apis
    ids = {"ok": ok.group_id, "max": str(fake_max.chat_id)}
    return {
        str(p.platform): p.id for p in ingest.pages if ids.get(str(p.platform)) == p.external_id
    }


async def mine(reader: TopicReader, page_id: str, count: int) -> list[str]:
    """The object keys of `page_id`'s records, once `count` arrived, after a short drain."""
    await reader.wait_for(lambda r: page_of(r) == page_id, count=count)
    await reader.drain(1.0)  # anything more would show up as a duplicate
    return [external_id(r) for r in reader.seen if page_of(r) == page_id]


async def test_new_ok_and_max_comments_land_once_across_two_polls(
    apis: Any, ingest: Ingest, received: TopicReader, answered: TopicReader
) -> None:
    ok, fake_max, _, _ = apis
    ok.add_topic("77", NOW_MS)
    ok.add_comment("77", "c1", NOW_MS + 1000)
    fake_max.add_post("mid.p1", NOW_MS)
    fake_max.add_comment("mid.p1", "mid.c1", NOW_MS + 1000)
    pages = page_ids(ingest, apis)
    assert ingest.polling is not None
    poller = ingest.polling.poller

    await make_due(ingest, pages["ok"])
    await make_due(ingest, pages["max"])
    first = await poller.poll_due()
    ok.add_comment("77", "c2", NOW_MS + 2000)
    ok.add_comment("77", "r1", NOW_MS + 3000, author_type="GROUP", reply_to_comment_id="c1")
    fake_max.add_comment("mid.p1", "mid.c2", NOW_MS + 2000)
    await make_due(ingest, pages["ok"])
    await make_due(ingest, pages["max"])
    second = await poller.poll_due()

    assert first[pages["ok"]] == second[pages["ok"]] == "ok"
    assert first[pages["max"]] == second[pages["max"]] == "ok"
    assert sorted(await mine(received, pages["ok"], 2)) == ["topic77/c1", "topic77/c2"]
    assert sorted(await mine(received, pages["max"], 2)) == [
        "postmid.p1/mid.c1",
        "postmid.p1/mid.c2",
    ]
    [c1] = [r for r in received.seen if external_id(r) == "topic77/c1"]
    await answered.wait_for(lambda r: appeal_of(r) == appeal_of(c1))


async def test_two_concurrent_pollers_publish_each_comment_once(
    apis: Any, ingest: Ingest, received: TopicReader
) -> None:
    ok, _, ok_url, max_url = apis
    ok.add_topic("80", NOW_MS)
    for n in range(5):
        ok.add_comment("80", f"c{n}", NOW_MS + n)
    page = page_ids(ingest, apis)["ok"]
    assert ingest.polling is not None
    await make_due(ingest, page)
    async with polling_ingest(ok_url, max_url) as other:
        assert other.polling is not None
        rounds = await asyncio.gather(
            ingest.polling.poller.poll_due(), other.polling.poller.poll_due()
        )

    assert [page in r for r in rounds].count(True) == 1  # SKIP LOCKED: one of them had it
    assert sorted(await mine(received, page, 5)) == [f"topic80/c{n}" for n in range(5)]
    assert ok.faults.requests == 2  # the topics and one topic's comments, once


async def test_the_cursor_survives_a_restart(
    apis: Any, ingest: Ingest, received: TopicReader
) -> None:
    ok, _, ok_url, max_url = apis
    ok.add_topic("90", NOW_MS)
    ok.add_comment("90", "before", NOW_MS + 1)
    page = page_ids(ingest, apis)["ok"]
    assert ingest.polling is not None
    await make_due(ingest, page)
    await ingest.polling.poller.poll_due()
    ok.add_comment("90", "after", NOW_MS + 2)

    async with polling_ingest(ok_url, max_url) as restarted:
        await make_due(restarted, page)
        assert restarted.polling is not None
        assert (await restarted.polling.poller.poll_due())[page] == "ok"

    assert sorted(await mine(received, page, 2)) == ["topic90/after", "topic90/before"]


async def test_a_failing_api_is_backed_off_and_recovered_from(
    apis: Any, ingest: Ingest, received: TopicReader
) -> None:
    _, fake_max, _, _ = apis
    fake_max.add_post("mid.p9", NOW_MS)
    fake_max.add_comment("mid.p9", "mid.c9", NOW_MS + 1)
    fake_max.faults.fail(500, times=2)
    page = page_ids(ingest, apis)["max"]
    assert ingest.polling is not None
    poller = ingest.polling.poller

    await make_due(ingest, page)
    assert (await poller.poll_due())[page] == "failed"
    once = await cursor_row(ingest, page)
    await make_due(ingest, page)
    assert (await poller.poll_due())[page] == "failed"
    twice = await cursor_row(ingest, page)
    await make_due(ingest, page)
    assert (await poller.poll_due())[page] == "ok"
    recovered = await cursor_row(ingest, page)

    assert (once["failures"], twice["failures"], recovered["failures"]) == (1, 2, 0)
    assert once["cursor"] == twice["cursor"] == {}  # nothing advanced while failing
    assert await mine(received, page, 1) == ["postmid.p9/mid.c9"]


async def test_a_429_holds_the_page_and_the_host_until_its_retry_after(
    apis: Any, ingest: Ingest
) -> None:
    ok, _, _, _ = apis
    ok.add_topic("95", NOW_MS)
    ok.faults.fail(429, retry_after="120")
    page = page_ids(ingest, apis)["ok"]
    assert ingest.polling is not None
    poller = ingest.polling.poller

    await make_due(ingest, page)
    polled_at = time.time()
    assert (await poller.poll_due())[page] == "rate_limited"
    row = await cursor_row(ingest, page)
    assert row["next_poll_at"].timestamp() >= polled_at + 119
    assert page not in await poller.poll_due()  # not due
    await make_due(ingest, page)
    assert (await poller.poll_due())[page] == "rate_limited"  # the host is still paused here
    assert ok.faults.requests == 1
