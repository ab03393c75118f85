"""The delivery worker on the real database and the fake platforms: each answer is posted
once, retried through the platforms' failures, stopped where only a person can decide, and
announced through the outbox."""

from datetime import timedelta
from typing import Any

import pytest
from delivery_harness import TG_PAGE, VK_PAGE, Harness, harness, request_for

from appeals_common.events import AppealAnswered, AppealKind, Platform, ResponseChannel
from ingest.adapters import delivery_repository
from ingest.adapters.own_replies import SqlOwnReplies
from ingest.domain.delivery.model import Outgoing
from ingest.domain.normalise import response_id

pytestmark = pytest.mark.integration

COMMENT = "wall-777001_15/240"  # comment 240 under the community's post 15


async def test_a_vk_answer_is_posted_once_as_a_reply_and_announced(infra: object) -> None:
    async with harness() as h:
        request = request_for(VK_PAGE, AppealKind.COMMENT, COMMENT)
        await h.request(request)
        await h.request(request)  # Kafka redelivers: still one delivery
        assert await h.worker.deliver_due() == 1
        assert await h.worker.deliver_due() == 0

        posted = h.ledgers["vk"].posted
        assert len(posted) == 1
        assert posted[0].reply_to == "240" and posted[0].text == request.text
        row = await h.row(request.delivery_id)
        assert row["state"] == "delivered" and row["reply_id"] == posted[0].reply_id
        assert (
            row["reply_url"]
            == "https://vk.com/wall-777001_15?reply=" + posted[0].reply_id.rsplit("/", 1)[1]
        )
        assert await h.announced(request.appeal_id) == ["answer.delivered"]

        await h.request(request.model_copy(update={"round": 1}))  # a stray retry
        assert len(h.ledgers["vk"].posted) == 1
        assert await h.announced(request.appeal_id) == ["answer.delivered", "answer.delivered"]


async def test_platform_failures_are_retried_with_back_off_and_post_once(infra: object) -> None:
    async with harness() as h:
        h.ledgers["vk"].faults.extend(["server_error", "rate_limit"])
        request = request_for(VK_PAGE, AppealKind.COMMENT, COMMENT)
        await h.request(request)
        await h.worker.deliver_due()
        row = await h.row(request.delivery_id)
        assert row["state"] == "pending" and row["tries"] == 1
        assert await h.worker.deliver_due() == 0  # not due before its back-off
        h.clock.pass_((row["next_try_at"] - h.clock.now).total_seconds() + 0.1)
        await h.worker.deliver_due()
        h.clock.pass_(600)
        await h.worker.deliver_due()
        assert (await h.row(request.delivery_id))["state"] == "delivered"
        assert len(h.ledgers["vk"].posted) == 1 and h.ledgers["vk"].calls == 3


async def test_vk_resends_an_interrupted_call_and_the_platform_keeps_one(infra: object) -> None:
    async with harness() as h:
        request = request_for(VK_PAGE, AppealKind.COMMENT, COMMENT)
        await h.request(request)
        # The worker posted, then died before recording it: the claim is all that is left.
        claimed = await _claim(h)
        await h.worker.senders[VK_PAGE.platform].send(
            VK_PAGE, _outgoing(claimed), f"{request.delivery_id}:0"
        )
        assert len(h.ledgers["vk"].posted) == 1
        h.clock.pass_(31)  # its lease runs out; another round takes it over
        assert await h.worker.deliver_due() == 1
        assert (await h.row(request.delivery_id))["state"] == "delivered"
        assert len(h.ledgers["vk"].posted) == 1


async def test_telegram_never_resends_an_unknown_outcome_on_its_own(infra: object) -> None:
    async with harness() as h:
        chat = TG_PAGE.discussion_id
        request = request_for(TG_PAGE, AppealKind.COMMENT, f"chat{chat}/88")
        await h.request(request)
        await _claim(h)  # interrupted between the call and its record
        h.clock.pass_(31)
        await h.worker.deliver_due()
        row = await h.row(request.delivery_id)
        assert row["state"] == "failed" and row["reason"] == "outcome_unknown"
        assert h.ledgers["telegram"].calls == 0
        assert await h.announced(request.appeal_id) == ["answer.failed"]

        await h.request(request.model_copy(update={"round": 1}))  # an operator checked: resend
        await h.worker.deliver_due()
        assert (await h.row(request.delivery_id))["state"] == "delivered"
        posted = h.ledgers["telegram"].posted
        assert len(posted) == 1 and posted[0].reply_to == "88"


async def test_a_blocked_resident_fails_at_once_with_the_reason(infra: object) -> None:
    async with harness() as h:
        h.ledgers["telegram"].blocked.add("4242")
        request = request_for(TG_PAGE, AppealKind.PRIVATE_MESSAGE, "chat4242/7", author="4242")
        await h.request(request)
        await h.worker.deliver_due()
        row = await h.row(request.delivery_id)
        assert (row["state"], row["reason"]) == ("failed", "blocked_by_user")
        assert h.ledgers["telegram"].posted == []
        assert await h.announced(request.appeal_id) == ["answer.failed"]


async def test_a_long_answer_goes_in_numbered_parts_each_recorded(infra: object) -> None:
    async with harness() as h:
        text = " ".join(f"Пункт {n}: работы по адресу будут выполнены." for n in range(200))
        request = request_for(
            TG_PAGE, AppealKind.PRIVATE_MESSAGE, "chat4243/9", text=text, author="4243"
        )
        await h.request(request)
        await h.worker.deliver_due()
        row = await h.row(request.delivery_id)
        posted = h.ledgers["telegram"].posted
        assert row["state"] == "delivered" and row["parts_total"] == len(posted) > 1
        assert all(len(p.text) <= 4096 for p in posted)
        assert posted[-1].text.endswith(f"({len(posted)}/{len(posted)})")


async def test_our_reply_shown_back_by_the_platform_is_known_as_ours(infra: object) -> None:
    async with harness() as h:
        request = request_for(VK_PAGE, AppealKind.COMMENT, COMMENT)
        await h.request(request)
        own = SqlOwnReplies(h.sessions)
        echo = AppealAnswered(
            appeal_id=request.appeal_id,
            response_id=response_id(VK_PAGE.platform, VK_PAGE.external_id, "wall-777001_15/1"),
            agency_id=None,
            channel=ResponseChannel.PLATFORM,
            answered_at=h.clock.now,
        )
        assert not await own.ours(echo)  # pending: nothing posted yet, a page's own reply
        await _claim(h)
        assert await own.ours(echo)  # in flight: the echo may beat the record
        h.clock.pass_(31)
        await h.worker.deliver_due()
        reply = (await h.row(request.delivery_id))["reply_id"]
        posted = echo.model_copy(
            update={"response_id": response_id(VK_PAGE.platform, VK_PAGE.external_id, reply)}
        )
        assert await own.ours(posted)
        assert not await own.ours(echo)  # another reply of the page to the same appeal


async def _claim(h: Harness) -> dict[str, Any]:
    """Claim what is due as a worker would, and do nothing more (a worker killed mid-call)."""
    async with h.sessions() as session, session.begin():
        claimed = await delivery_repository.claim_due(
            session, now=h.clock.now, lease_until=h.clock.now + timedelta(seconds=30), limit=10
        )
    assert len(claimed) == 1
    return dict(claimed[0])


def _outgoing(row: dict[str, Any]) -> Outgoing:
    return Outgoing(
        delivery_id=row["delivery_id"],
        platform=Platform(row["platform"]),
        kind=AppealKind(row["kind"]),
        external_id=row["external_id"],
        author_id=row["author_id"],
        text=row["text"],
    )
