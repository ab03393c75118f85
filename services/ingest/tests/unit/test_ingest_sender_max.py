"""The MAX sender against the fake platforms' server over real HTTP on 127.0.0.1: where each
reply lands and what it replies to, the token kept out of URLs, and every failure (faults,
blocked, deleted, revoked, the network, our own rate limit) as the SendError it must be."""

import socket
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from appeals_common.events import AppealKind, DeliveryFailure, Platform
from ingest.adapters.senders.max_bot import MaxSender
from ingest.domain.delivery.model import Outgoing, SendError
from ingest.domain.pages import Page
from tools.fake_platforms import max_bot as fake_max
from tools.fake_platforms.app import create_app
from tools.fake_platforms.core import Ledger

# The test-only fakes live beside the test directories (services/ingest/tests/fakes).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fakes.server import serve

TOKEN = "max-bot-token-0123456789"
CHANNEL = "-70801090403050"
PAGE = Page(
    "max-adm",
    Platform.MAX,
    CHANNEL,
    "adm",
    "Администрация",
    secret="s",
    bot_id=str(fake_max.BOT_USER_ID),
    max_bot_token=TOKEN,
)
RESIDENT_MID = "mid.ffffbdb48e6c3775019d496b34394b84"
POST_MID = "mid.0000000000000000019d496b34394b00"
COMMENT_MID = "mid.1111111111111111019d496b34394b11"
F = DeliveryFailure


def outgoing(external_id: str, kind: AppealKind, text: str = "Ответ ведомства") -> Outgoing:
    return Outgoing(uuid.uuid4(), Platform.MAX, kind, external_id, "123456789", text)


DIALOG = outgoing(RESIDENT_MID, AppealKind.PRIVATE_MESSAGE)
GROUP_CHAT = outgoing(RESIDENT_MID, AppealKind.COMMENT)
COMMENT = outgoing(f"post{POST_MID}/{COMMENT_MID}", AppealKind.COMMENT)


class Fake:
    def __init__(self, base: str, ledger: Ledger, http: httpx.AsyncClient, urls: list[str]):
        self.base, self.ledger, self.http, self.urls = base, ledger, http, urls

    async def control(self, action: str, **body: Any) -> None:
        answer = await self.http.post(f"{self.base}/_fake/max/{action}", json=body)
        assert answer.status_code == 200, answer.text

    def sender(self, **options: Any) -> MaxSender:
        return MaxSender(self.http, f"{self.base}/max", **options)


@pytest.fixture
async def fake() -> AsyncIterator[Fake]:
    app = create_app()
    async with serve(app) as base:
        found: list[str] = []

        async def seen(request: httpx.Request) -> None:
            found.append(str(request.url))

        async with httpx.AsyncClient(timeout=5.0, event_hooks={"request": [seen]}) as http:
            fake = Fake(base, app.state.ledgers["max"], http, found)
            yield fake
            fake.ledger.release()


async def failed(fake: Fake, message: Outgoing = DIALOG, page: Page = PAGE) -> SendError:
    with pytest.raises(SendError) as caught:
        await fake.sender().send(page, message, "key")
    return caught.value


# --- where replies land ---------------------------------------------------------------------


async def test_a_dialog_reply_goes_to_the_author_linked_to_their_message(fake: Fake) -> None:
    posted = await fake.sender().send(PAGE, DIALOG, "key")

    [reply] = fake.ledger.posted
    assert (reply.method, reply.target, reply.reply_to) == (
        "POST /messages",
        "user:123456789",
        RESIDENT_MID,
    )
    assert reply.text == "Ответ ведомства"
    assert posted.reply_id == reply.reply_id
    assert posted.reply_url is None  # dialogs have no public link


async def test_a_group_chat_reply_goes_to_the_chat_of_the_message(fake: Fake) -> None:
    posted = await fake.sender().send(PAGE, GROUP_CHAT, "key")

    [reply] = fake.ledger.posted
    chat = fake_max.chat_of(RESIDENT_MID)
    assert (reply.target, reply.reply_to) == (f"chat:{chat}", RESIDENT_MID)
    assert posted.reply_id == reply.reply_id
    assert posted.reply_url == f"https://max.ru/c/{chat}/{reply.reply_id}"
    assert fake.ledger.calls == 2  # the message read for its chat, then the reply


async def test_a_comment_reply_is_a_comment_under_the_same_post(fake: Fake) -> None:
    posted = await fake.sender().send(PAGE, COMMENT, "key")

    [reply] = fake.ledger.posted
    assert (reply.method, reply.target, reply.reply_to) == (
        "POST /messages/{mid}/comments",
        f"post:{POST_MID}",
        COMMENT_MID,
    )
    assert posted.reply_id == f"post{POST_MID}/{reply.reply_id}"
    assert posted.reply_url is None


async def test_the_token_goes_in_the_header_never_in_a_url(fake: Fake) -> None:
    await fake.sender().send(PAGE, GROUP_CHAT, "key")

    assert len(fake.urls) == 2
    assert not any(TOKEN in url for url in fake.urls)
    assert fake.ledger.posted[0].token == TOKEN  # the fake read it from Authorization


async def test_the_sender_says_its_limit_and_that_it_is_not_idempotent(fake: Fake) -> None:
    sender = fake.sender()
    assert (sender.limit, sender.idempotent) == (4000, False)


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "reason", "retryable", "retry_after_s"),
    [
        ("rate_limit", F.RATE_LIMITED, True, float(fake_max.RETRY_AFTER_S)),
        ("server_error", F.PLATFORM_ERROR, True, None),
        ("unavailable", F.PLATFORM_ERROR, True, None),
        ("blocked", F.BLOCKED_BY_USER, False, None),
        ("invalid_token", F.INVALID_TOKEN, False, None),
    ],
)
async def test_each_fault_is_its_send_error_and_posts_nothing(
    fake: Fake, fault: str, reason: DeliveryFailure, retryable: bool, retry_after_s: float | None
) -> None:
    await fake.control("faults", faults=[fault])

    error = await failed(fake)

    assert (error.reason, error.retryable, error.retry_after_s) == (
        reason,
        retryable,
        retry_after_s,
    )
    assert not error.maybe_posted
    assert fake.ledger.posted == []
    assert error.detail.startswith("MAX ")


async def test_a_fault_on_the_chat_lookup_stops_before_posting(fake: Fake) -> None:
    await fake.control("faults", faults=["unavailable"])

    error = await failed(fake, GROUP_CHAT)

    assert (error.reason, error.retryable, error.maybe_posted) == (F.PLATFORM_ERROR, True, False)
    assert fake.ledger.calls == 1 and fake.ledger.posted == []


async def test_a_resident_who_blocked_the_bot_is_blocked_by_user(fake: Fake) -> None:
    await fake.control("block", target="123456789")

    error = await failed(fake)

    assert error.reason is F.BLOCKED_BY_USER
    assert error.detail.startswith("MAX 403 chat.denied")


@pytest.mark.parametrize(
    ("blocked", "message"),
    [(str(fake_max.chat_of(RESIDENT_MID)), GROUP_CHAT), (POST_MID, COMMENT)],
)
async def test_a_chat_or_channel_refusing_the_bot_is_access_denied(
    fake: Fake, blocked: str, message: Outgoing
) -> None:
    await fake.control("block", target=blocked)
    assert (await failed(fake, message)).reason is F.ACCESS_DENIED


@pytest.mark.parametrize("message", [DIALOG, GROUP_CHAT])
async def test_a_deleted_message_is_target_deleted(fake: Fake, message: Outgoing) -> None:
    await fake.control("delete", target=RESIDENT_MID)

    error = await failed(fake, message)

    assert (error.reason, error.retryable) == (F.TARGET_DELETED, False)
    assert fake.ledger.posted == []


@pytest.mark.parametrize("deleted", [POST_MID, COMMENT_MID])
async def test_a_deleted_post_or_comment_is_target_deleted(fake: Fake, deleted: str) -> None:
    await fake.control("delete", target=deleted)

    assert (await failed(fake, COMMENT)).reason is F.TARGET_DELETED


async def test_a_revoked_token_is_invalid(fake: Fake) -> None:
    await fake.control("revoke", token=TOKEN)

    error = await failed(fake)

    assert (error.reason, error.retryable) == (F.INVALID_TOKEN, False)
    assert TOKEN not in error.detail


async def test_a_text_over_maxs_limit_is_too_long(fake: Fake) -> None:
    error = await failed(fake, outgoing(RESIDENT_MID, AppealKind.PRIVATE_MESSAGE, "я" * 4001))
    assert error.reason is F.TOO_LONG


async def test_a_page_without_a_token_calls_nothing(fake: Fake) -> None:
    error = await failed(fake, page=Page("max-x", Platform.MAX, CHANNEL, "adm", "x"))

    assert error.reason is F.NO_CREDENTIALS
    assert fake.ledger.calls == 0


async def test_an_unanswerable_key_calls_nothing(fake: Fake) -> None:
    error = await failed(fake, outgoing("mid.a/b", AppealKind.PRIVATE_MESSAGE))

    assert error.reason is F.UNSUPPORTED
    assert fake.ledger.calls == 0


async def test_no_answer_after_the_post_may_have_posted(fake: Fake) -> None:
    await fake.control("hold")
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.3)) as impatient:
        sender = MaxSender(impatient, f"{fake.base}/max")
        with pytest.raises(SendError) as caught:
            await sender.send(PAGE, DIALOG, "key")

    assert (caught.value.retryable, caught.value.maybe_posted) == (True, True)
    assert caught.value.detail == "MAX: ReadTimeout"
    assert len(fake.ledger.posted) == 1  # it was posted: only a person can tell the worker


async def test_a_server_that_cannot_be_reached_posted_nothing(fake: Fake) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    sender = MaxSender(fake.http, f"http://127.0.0.1:{port}/max")

    with pytest.raises(SendError) as caught:
        await sender.send(PAGE, DIALOG, "key")

    error = caught.value
    assert (error.reason, error.retryable, error.maybe_posted) == (F.PLATFORM_ERROR, True, False)
    assert error.detail == "MAX: ConnectError"


# --- our own rate limit per token -----------------------------------------------------------


async def test_replies_with_one_token_keep_to_its_rate(fake: Fake) -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    sender = fake.sender(rate_per_second=2.0, clock=lambda: now[0], sleep=sleep)
    for key in "abc":
        await sender.send(PAGE, DIALOG, key)
    other = Page("max-2", Platform.MAX, "-1", "adm", "x", max_bot_token="another-token")
    await sender.send(other, DIALOG, "d")

    # Two a second, the burst at once: the third of one token waited, another token did not.
    assert waits == [pytest.approx(0.5)]
    assert len(fake.ledger.posted) == 4


async def test_a_wait_beyond_a_few_seconds_is_handed_back_as_rate_limited(fake: Fake) -> None:
    sender = fake.sender(rate_per_second=0.1, clock=lambda: 100.0)
    await sender.send(PAGE, DIALOG, "a")
    with pytest.raises(SendError) as caught:
        await sender.send(PAGE, DIALOG, "b")

    assert (caught.value.reason, caught.value.retryable) == (F.RATE_LIMITED, True)
    assert caught.value.retry_after_s == pytest.approx(10.0)
    assert len(fake.ledger.posted) == 1
