"""The OK sender against the fake platforms' server over real HTTP on 127.0.0.1: topic comments
through the signed REST API and chat replies through the Bot API, where each lands and what
it replies to, the tokens kept out of URLs and logs, and every failure as its SendError."""

import logging
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from appeals_common.events import AppealKind, DeliveryFailure, Platform
from ingest.adapters.senders.ok import OkSender
from ingest.domain.delivery.model import Outgoing, SendError
from ingest.domain.pages import Page
from tools.fake_platforms import ok as fake_ok
from tools.fake_platforms.app import create_app
from tools.fake_platforms.core import Ledger

# The test-only fakes live beside the test directories (services/ingest/tests/fakes).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fakes.server import serve

TOKEN = "tkn1okGroupToken0123456789"
GROUP = "54321"
PAGE = Page(
    "ok-adm",
    Platform.OK,
    GROUP,
    "adm",
    "Администрация",
    url_token="u" * 32,
    ok_application_key="CBAFAKEAPPKEY",
    ok_access_token=TOKEN,
    ok_session_secret=fake_ok.session_secret_for(TOKEN),
)
MID = "mid:C3ecb9d02a600.15cea67d78d2059"
CHAT_ID = "chat:C3ecb9d02a600"
COMMENT_ID = "MTU5NTc1OTQ5OTo4Mg=="
F = DeliveryFailure


def outgoing(external_id: str, kind: AppealKind) -> Outgoing:
    return Outgoing(uuid.uuid4(), Platform.OK, kind, external_id, "user:1234", "Ответ ведомства")


CHAT = outgoing(MID, AppealKind.PRIVATE_MESSAGE)
TOPIC = outgoing(f"topic777/{COMMENT_ID}", AppealKind.COMMENT)


class Fake:
    def __init__(
        self, base: str, ledger: Ledger, http: httpx.AsyncClient, requests: list[httpx.Request]
    ) -> None:
        self.base, self.ledger, self.http, self.requests = base, ledger, http, requests

    async def control(self, action: str, **body: Any) -> None:
        answer = await self.http.post(f"{self.base}/_fake/ok/{action}", json=body)
        assert answer.status_code == 200, answer.text

    def sender(self, http: httpx.AsyncClient | None = None, **options: Any) -> OkSender:
        base = f"{self.base}/ok"
        return OkSender(http or self.http, f"{base}/fb.do", f"{base}/graph", **options)


@pytest.fixture
async def fake() -> AsyncIterator[Fake]:
    app = create_app()
    async with serve(app) as base:
        seen: list[httpx.Request] = []

        async def record(request: httpx.Request) -> None:
            seen.append(request)

        async with httpx.AsyncClient(timeout=5.0, event_hooks={"request": [record]}) as http:
            fake = Fake(base, app.state.ledgers["ok"], http, seen)
            yield fake
            fake.ledger.release()


async def failed(fake: Fake, message: Outgoing, page: Page = PAGE) -> SendError:
    with pytest.raises(SendError) as caught:
        await fake.sender().send(page, message, "key")
    return caught.value


# --- where replies land ---------------------------------------------------------------------


async def test_a_topic_comment_is_answered_by_a_signed_comment_of_the_group(fake: Fake) -> None:
    posted = await fake.sender().send(PAGE, TOPIC, "key")

    [reply] = fake.ledger.posted  # the fake checked the signature before recording
    assert (reply.method, reply.target, reply.reply_to) == (
        "discussions.addDiscussionComment",
        "topic:777",
        COMMENT_ID,
    )
    assert reply.text == "Ответ ведомства"
    assert posted.reply_id == f"topic777/{reply.reply_id}"
    assert posted.reply_url == f"https://ok.ru/group/{GROUP}/topic/777"


async def test_a_chat_message_is_answered_in_its_chat_replying_to_it(fake: Fake) -> None:
    posted = await fake.sender().send(PAGE, CHAT, "key")

    [reply] = fake.ledger.posted
    assert (reply.method, reply.target, reply.reply_to) == ("graph/me/messages", CHAT_ID, MID)
    assert posted.reply_id == reply.reply_id
    assert posted.reply_url is None


async def test_the_rest_token_travels_in_the_form_body_not_the_url(fake: Fake) -> None:
    await fake.sender().send(PAGE, TOPIC, "key")

    [request] = fake.requests
    assert TOKEN not in str(request.url)
    assert TOKEN in request.content.decode()


async def test_the_bot_api_token_in_its_url_never_reaches_a_log_line(
    fake: Fake, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="httpx"):
        await fake.sender().send(PAGE, CHAT, "key")

    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("access_token=***" in line for line in lines)
    assert not any(TOKEN in line for line in lines)


async def test_the_sender_says_its_limit_and_that_it_is_not_idempotent(fake: Fake) -> None:
    sender = fake.sender()
    assert (sender.limit, sender.idempotent) == (2000, False)


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "message", "reason", "retryable"),
    [
        ("rate_limit", TOPIC, F.FLOOD_CONTROL, True),
        ("rate_limit", CHAT, F.FLOOD_CONTROL, True),
        ("server_error", TOPIC, F.PLATFORM_ERROR, True),
        ("server_error", CHAT, F.PLATFORM_ERROR, True),
        ("service", TOPIC, F.PLATFORM_ERROR, True),
        ("blocked", TOPIC, F.ACCESS_DENIED, False),
        ("blocked", CHAT, F.BLOCKED_BY_USER, False),
        ("invalid_token", TOPIC, F.INVALID_TOKEN, False),
        ("invalid_token", CHAT, F.INVALID_TOKEN, False),
    ],
)
async def test_each_fault_is_its_send_error_and_posts_nothing(
    fake: Fake, fault: str, message: Outgoing, reason: DeliveryFailure, retryable: bool
) -> None:
    await fake.control("faults", faults=[fault])

    error = await failed(fake, message)

    assert (error.reason, error.retryable, error.maybe_posted) == (reason, retryable, False)
    assert error.detail.startswith("OK ")
    assert fake.ledger.posted == []


@pytest.mark.parametrize("message", [TOPIC, CHAT])
async def test_a_revoked_token_is_invalid(fake: Fake, message: Outgoing) -> None:
    await fake.control("revoke", token=TOKEN)

    error = await failed(fake, message)

    assert (error.reason, error.retryable) == (F.INVALID_TOKEN, False)
    assert TOKEN not in error.detail


async def test_a_wrong_session_secret_fails_the_signature(fake: Fake) -> None:
    page = replace(PAGE, ok_session_secret="not-the-secret")

    error = await failed(fake, TOPIC, page)

    assert error.reason is F.INVALID_TOKEN
    assert error.detail.startswith("OK 104 PARAM_SIGNATURE")


async def test_a_chat_that_refuses_the_group_is_blocked_by_user(fake: Fake) -> None:
    await fake.control("block", target=CHAT_ID)
    assert (await failed(fake, CHAT)).reason is F.BLOCKED_BY_USER


async def test_a_topic_closed_to_comments_is_access_denied(fake: Fake) -> None:
    await fake.control("block", target="777")
    assert (await failed(fake, TOPIC)).reason is F.ACCESS_DENIED


@pytest.mark.parametrize(
    ("deleted", "message"), [(COMMENT_ID, TOPIC), ("777", TOPIC), (MID, CHAT), (CHAT_ID, CHAT)]
)
async def test_a_deleted_target_is_target_deleted(
    fake: Fake, deleted: str, message: Outgoing
) -> None:
    await fake.control("delete", target=deleted)

    error = await failed(fake, message)

    assert (error.reason, error.retryable) == (F.TARGET_DELETED, False)
    assert fake.ledger.posted == []


async def test_a_comment_needs_all_three_rest_credentials(fake: Fake) -> None:
    page = replace(PAGE, ok_session_secret=None)

    error = await failed(fake, TOPIC, page)

    assert error.reason is F.NO_CREDENTIALS
    assert fake.ledger.calls == 0


async def test_a_chat_reply_needs_only_the_access_token(fake: Fake) -> None:
    page = replace(PAGE, ok_application_key=None, ok_session_secret=None)
    await fake.sender().send(page, CHAT, "key")

    assert (await failed(fake, CHAT, Page("ok-x", Platform.OK, GROUP, "adm", "x"))).reason is (
        F.NO_CREDENTIALS
    )


async def test_an_unanswerable_key_calls_nothing(fake: Fake) -> None:
    error = await failed(fake, outgoing("C3ecb9d02a600", AppealKind.PRIVATE_MESSAGE))

    assert error.reason is F.UNSUPPORTED
    assert fake.ledger.calls == 0


@pytest.mark.parametrize("message", [TOPIC, CHAT])
async def test_no_answer_after_the_post_may_have_posted(fake: Fake, message: Outgoing) -> None:
    await fake.control("hold")
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.3)) as impatient:
        with pytest.raises(SendError) as caught:
            await fake.sender(impatient).send(PAGE, message, "key")

    assert (caught.value.retryable, caught.value.maybe_posted) == (True, True)
    assert caught.value.detail == "OK: ReadTimeout"
    assert len(fake.ledger.posted) == 1


async def test_a_server_that_cannot_be_reached_posted_nothing(fake: Fake) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    base = f"http://127.0.0.1:{port}/ok"
    sender = OkSender(fake.http, f"{base}/fb.do", f"{base}/graph")

    with pytest.raises(SendError) as caught:
        await sender.send(PAGE, CHAT, "key")

    error = caught.value
    assert (error.reason, error.retryable, error.maybe_posted) == (F.PLATFORM_ERROR, True, False)
    assert error.detail == "OK: ConnectError"
    assert TOKEN not in str(error)


async def test_replies_with_one_token_keep_to_its_rate(fake: Fake) -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    sender = fake.sender(rate_per_second=1.0, clock=lambda: now[0], sleep=sleep)
    await sender.send(PAGE, TOPIC, "a")
    await sender.send(PAGE, CHAT, "b")  # the same group token for both APIs

    assert waits == [pytest.approx(1.0)]
    assert len(fake.ledger.posted) == 2
