"""The Telegram sender over real HTTP against the fake Bot API (tools/fake_platforms): replies
in the discussion group and in private chats, every injected fault as its SendError, blocked
chats, deleted messages and revoked tokens; and, on httpx's mock transport, the network's
failures, the token kept out of httpx's log lines, and the Bot FAQ's pacing. Needs no Kafka or
database."""

import logging
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fakes.server import serve

from appeals_common.events import AppealKind, DeliveryFailure, Platform
from ingest.adapters.senders.telegram import TelegramSender
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from tools.fake_platforms import telegram as fake_telegram
from tools.fake_platforms.app import create_app
from tools.fake_platforms.core import Ledger

TOKEN = "7000000001:AAE-secret_part_of_the_bot_token"
GROUP, RESIDENT = -1002222222222, 333333333
PAGE = Page(
    "tg-adm-test",
    Platform.TELEGRAM,
    "-1001111111111",
    "adm",
    "Администрация (Telegram)",
    bot_id="7000000001",
    discussion_id=str(GROUP),
    telegram_bot_token=TOKEN,
)
COMMENT, PRIVATE = f"chat{GROUP}/901", f"chat{RESIDENT}/17"
F = DeliveryFailure


def outgoing(external_id: str, text: str = "Ответ администрации") -> Outgoing:
    kind = AppealKind.COMMENT if external_id.startswith("chat-") else AppealKind.PRIVATE_MESSAGE
    return Outgoing(uuid.uuid4(), Platform.TELEGRAM, kind, external_id, str(RESIDENT), text)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[TelegramSender, Ledger, str]]:
    app = create_app()
    async with serve(app) as base, httpx.AsyncClient(timeout=5.0) as http:
        yield TelegramSender(http, f"{base}/telegram"), app.state.ledgers["telegram"], base


async def failure(sender: TelegramSender, external_id: str = COMMENT) -> SendError:
    with pytest.raises(SendError) as caught:
        await sender.send(PAGE, outgoing(external_id), "k:0")
    return caught.value


@pytest.mark.parametrize(
    ("external_id", "chat", "replied"), [(COMMENT, GROUP, "901"), (PRIVATE, RESIDENT, "17")]
)
async def test_the_reply_goes_to_the_chat_it_answers(
    fake: tuple[TelegramSender, Ledger, str], external_id: str, chat: int, replied: str
) -> None:
    sender, ledger, _ = fake

    first = await sender.send(PAGE, outgoing(external_id), "d1:0")
    second = await sender.send(PAGE, outgoing(external_id), "d1:1")

    assert [(p.target, p.reply_to, p.token) for p in ledger.posted] == [
        (str(chat), replied, TOKEN)
    ] * 2
    assert first == Posted(f"chat{chat}/1001", None)
    assert second.reply_id == f"chat{chat}/1002"  # ids increase per chat


async def test_a_repeated_key_posts_again_as_telegram_has_no_idempotency_key(
    fake: tuple[TelegramSender, Ledger, str],
) -> None:
    sender, ledger, _ = fake

    await sender.send(PAGE, outgoing(COMMENT), "d1:0")
    await sender.send(PAGE, outgoing(COMMENT), "d1:0")

    assert len(ledger.posted) == 2
    assert sender.idempotent is False and sender.limit == 4096


@pytest.mark.parametrize(
    ("fault", "reason", "retryable", "retry_after_s"),
    [
        ("rate_limit", F.RATE_LIMITED, True, 1.0),
        ("server_error", F.PLATFORM_ERROR, True, None),
        ("bad_gateway", F.PLATFORM_ERROR, True, None),
        ("blocked", F.BLOCKED_BY_USER, False, None),
        ("invalid_token", F.INVALID_TOKEN, False, None),
    ],
)
async def test_each_fault_is_its_send_error_and_posts_nothing(
    fake: tuple[TelegramSender, Ledger, str],
    fault: str,
    reason: DeliveryFailure,
    retryable: bool,
    retry_after_s: float | None,
) -> None:
    sender, ledger, _ = fake
    ledger.faults.append(fault)

    error = await failure(sender)

    assert (error.reason, error.retryable, error.retry_after_s) == (
        reason,
        retryable,
        retry_after_s,
    )
    assert not error.maybe_posted
    assert ledger.posted == [] and ledger.calls == 1


async def test_the_control_api_knows_every_fault(fake: tuple[TelegramSender, Ledger, str]) -> None:
    _, ledger, base = fake
    names = sorted(fake_telegram.FAULTS)
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{base}/_fake/telegram/faults", json={"faults": names})

    assert answer.status_code == 200
    assert sorted(ledger.faults) == names


@pytest.mark.parametrize(
    ("arrange", "external_id", "reason"),
    [
        (lambda ledger: ledger.revoked_tokens.add(TOKEN), COMMENT, F.INVALID_TOKEN),
        (lambda ledger: ledger.blocked.add(str(RESIDENT)), PRIVATE, F.BLOCKED_BY_USER),
        (lambda ledger: ledger.blocked.add(str(GROUP)), COMMENT, F.ACCESS_DENIED),  # kicked
        (lambda ledger: ledger.deleted.add(COMMENT), COMMENT, F.TARGET_DELETED),
    ],
)
async def test_the_platforms_refusals_are_send_errors(
    fake: tuple[TelegramSender, Ledger, str],
    arrange: Callable[[Ledger], None],
    external_id: str,
    reason: DeliveryFailure,
) -> None:
    sender, ledger, _ = fake
    arrange(ledger)

    error = await failure(sender, external_id)

    assert (error.reason, error.retryable, error.maybe_posted) == (reason, False, False)
    assert ledger.posted == []


async def test_a_call_cut_off_after_the_post_may_have_posted(
    fake: tuple[TelegramSender, Ledger, str],
) -> None:
    _, ledger, base = fake
    ledger.hold()
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.3)) as impatient:
        error = await failure(TelegramSender(impatient, f"{base}/telegram"))
    ledger.release()

    assert error.maybe_posted  # the worker will not call again: a person decides
    assert len(ledger.posted) == 1


async def test_the_token_stays_out_of_httpx_log_lines(
    fake: tuple[TelegramSender, Ledger, str], caplog: pytest.LogCaptureFixture
) -> None:
    sender, _, _ = fake
    with caplog.at_level(logging.INFO, logger="httpx"):
        await sender.send(PAGE, outgoing(COMMENT), "k:0")

    assert "/bot<hidden>/sendMessage" in caplog.text
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


def mock(answer: Callable[[httpx.Request], httpx.Response], **options: Any) -> TelegramSender:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return TelegramSender(http, "https://api.telegram.test", **options)


def message_sent(request: httpx.Request) -> httpx.Response:
    chat = int(request.content.decode().split('"chat_id":')[1].split(",")[0])
    return httpx.Response(200, json={"ok": True, "result": {"message_id": 5, "chat": {"id": chat}}})


@pytest.mark.parametrize(
    ("raised", "maybe_posted"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.ConnectTimeout("slow"), False),
        (httpx.ReadTimeout("no answer"), True),
        (httpx.RemoteProtocolError("dropped"), True),
    ],
)
async def test_network_failures_say_whether_the_request_went_out(
    raised: Exception, maybe_posted: bool
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise raised

    error = await failure(mock(fail))

    assert (error.retryable, error.maybe_posted) == (True, maybe_posted)
    assert TOKEN.split(":")[1] not in str(error)


async def test_a_page_without_a_token_calls_nothing() -> None:
    calls: list[httpx.Request] = []
    page = Page("tg-bare", Platform.TELEGRAM, "-1001", "adm", "Без токена")

    with pytest.raises(SendError) as caught:
        await mock(lambda r: calls.append(r) or message_sent(r)).send(page, outgoing(COMMENT), "k")

    assert caught.value.reason is F.NO_CREDENTIALS and calls == []


async def elapsed_for(sends: int, external_id: str) -> float:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    sender = mock(message_sent, clock=lambda: now[0], sleep=sleep)
    for number in range(sends):
        await sender.send(PAGE, outgoing(external_id), f"k:{number}")
    return now[0]


async def test_one_message_a_second_per_chat_and_twenty_a_minute_per_group() -> None:
    assert await elapsed_for(1, PRIVATE) == 0.0
    assert await elapsed_for(40, PRIVATE) == pytest.approx(39.0)  # one a second
    assert await elapsed_for(40, COMMENT) >= 59.0  # after the first twenty, one every 3 s
