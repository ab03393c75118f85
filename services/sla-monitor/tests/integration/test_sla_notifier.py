"""The notifier over real sockets: e-mail to an aiosmtpd server (delivered, refused, the
server unreachable or silent), Telegram to a fake Bot API served by uvicorn (sent, each
refusal as permanent or transient, the token kept out of errors and log lines), and the
fanout across both. Needs no Kafka or database."""

import asyncio
import logging
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from aiosmtpd.controller import Controller
from starlette.requests import Request
from starlette.responses import JSONResponse

from sla_monitor.notify.email import EmailNotifier
from sla_monitor.notify.fanout import Fanout
from sla_monitor.notify.notices import Contact, Notice
from sla_monitor.notify.ports import NotificationFailed
from sla_monitor.notify.telegram import TelegramNotifier

pytestmark = pytest.mark.integration

MOSCOW = ZoneInfo("Europe/Moscow")
TOKEN = "7000000001:AAE-secret_part_of_the_bot_token"
HEAD = Contact("Петров Пётр", "начальник управления", "petrov@adm.example.ru", "-100500")
APPEAL = uuid.uuid4()
CARD = f"https://sla.example.ru/appeals/{APPEAL}"
BREACH = Notice(
    appeal_id=APPEAL, step="breach", share=1.0, agency_name="Управление ЖКХ",
    due_at=datetime(2025, 3, 12, 15, 0, tzinfo=UTC),
    fired_at=datetime(2025, 3, 12, 15, 1, tzinfo=UTC),
    policy_name="Обычные обращения", card_url=CARD, to=HEAD,
)  # fmt: skip
SENT = {"ok": True, "result": {"message_id": 7, "chat": {"id": -100500}, "text": "…"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """An aiosmtpd handler: keeps what it accepts; refuses recipients with `refuse` if set."""

    refuse: str | None = None
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), mail))
        return "250 Message accepted"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def emailer(port: int, timeout: float = 5.0) -> EmailNotifier:
    sender = "Мониторинг сроков <sla@region.example.ru>"
    return EmailNotifier(host="127.0.0.1", port=port, sender=sender, zone=MOSCOW, timeout=timeout)


async def email_failure(notifier: EmailNotifier) -> NotificationFailed:
    with pytest.raises(NotificationFailed) as caught:
        await notifier.send(BREACH)
    return caught.value


async def test_the_email_reaches_the_official(mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox

    await emailer(port).send(BREACH)

    [(mail_from, recipients, mail)] = box.received
    assert (mail_from, recipients) == ("sla@region.example.ru", ["petrov@adm.example.ru"])
    assert mail["Subject"] == "Срок ответа на обращение истёк"
    assert mail["To"].addresses[0].display_name == "Петров Пётр"
    body = mail.get_content()
    assert f"Карточка обращения: {CARD}" in body
    assert "12.03.2025 18:00 (Europe/Moscow, UTC+3)" in body


async def test_a_resent_notice_keeps_its_message_id(mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox

    await emailer(port).send(BREACH)
    await emailer(port).send(BREACH)
    await emailer(port).send(replace(BREACH, step="escalation-1"))

    ids = [mail["Message-ID"] for _, _, mail in box.received]
    assert ids[0] == ids[1] != ids[2]


async def test_a_contact_without_email_gets_nothing(mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox

    await emailer(port).send(replace(BREACH, to=replace(HEAD, email=None)))

    assert box.received == []


@pytest.mark.parametrize(
    ("refusal", "transient"),
    [("550 5.1.1 No such user here", False), ("451 4.3.0 Mailbox busy, try later", True)],
)
async def test_a_refused_recipient_fails_by_its_reply_code(
    mailbox: tuple[Mailbox, int], refusal: str, transient: bool
) -> None:
    box, port = mailbox
    box.refuse = refusal

    error = await email_failure(emailer(port))

    assert error.transient is transient
    assert refusal[:3] in str(error)
    assert box.received == []


async def test_a_malformed_address_fails_for_good(mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    bad = replace(BREACH, to=replace(HEAD, email="petrov at adm"))

    with pytest.raises(NotificationFailed, match="malformed") as caught:
        await emailer(port).send(bad)

    assert caught.value.transient is False and box.received == []


@asynccontextmanager
async def broken_server(how: str) -> AsyncIterator[int]:
    """A port with no server, or a TCP server that hangs up at once or never says a word."""
    if how == "absent":
        yield free_port()
        return

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if how == "silent":
            await reader.read()  # until the client gives up
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


@pytest.mark.parametrize("how", ["absent", "hangs-up", "silent"])
async def test_a_server_absent_hanging_up_or_silent_is_transient(how: str) -> None:
    async with broken_server(how) as port:
        error = await email_failure(emailer(port, timeout=0.5))

    assert error.transient is True


@dataclass
class BotApi:
    """The fake Bot API: records each call; answers with the queued replies, then ok."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    replies: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        self.calls.append((request.url.path, await request.json()))
        status, body = self.replies.pop(0) if self.replies else (200, SENT)
        await JSONResponse(body, status_code=status)(scope, receive, send)


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # raises why it stopped
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture
async def bot() -> AsyncIterator[tuple[TelegramNotifier, BotApi]]:
    api = BotApi()
    async with serve(api) as base, httpx.AsyncClient(timeout=5.0) as http:
        yield TelegramNotifier(http=http, token=TOKEN, zone=MOSCOW, api_url=base), api


async def test_the_message_goes_to_the_officials_chat(
    bot: tuple[TelegramNotifier, BotApi],
) -> None:
    notifier, api = bot

    await notifier.send(BREACH)

    [(path, payload)] = api.calls
    assert path == f"/bot{TOKEN}/sendMessage"
    assert payload["chat_id"] == "-100500" and payload["disable_web_page_preview"] is True
    assert payload["text"].startswith("Срок ответа на обращение истёк\n\n")
    assert CARD in payload["text"] and "Управление ЖКХ" in payload["text"]


async def test_a_contact_without_a_chat_gets_nothing(bot: tuple[TelegramNotifier, BotApi]) -> None:
    notifier, api = bot

    await notifier.send(replace(BREACH, to=replace(HEAD, telegram_chat_id=None)))

    assert api.calls == []


def refusal(code: int, description: str, **parameters: int) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    return {**body, "parameters": parameters} if parameters else body


@pytest.mark.parametrize(
    ("status", "body", "transient", "retry_after"),
    [
        (400, refusal(400, "Bad Request: chat not found"), False, None),
        (403, refusal(403, "Forbidden: bot was blocked by the user"), False, None),
        (401, refusal(401, "Unauthorized"), False, None),
        (429, refusal(429, "Too Many Requests: retry after 17", retry_after=17), True, 17.0),
        (502, {"error": "Bad Gateway"}, True, None),
        (200, {"unexpected": True}, True, None),
    ],
)
async def test_each_refusal_is_permanent_or_transient(
    bot: tuple[TelegramNotifier, BotApi],
    status: int,
    body: dict[str, Any],
    transient: bool,
    retry_after: float | None,
) -> None:
    notifier, api = bot
    api.replies.append((status, body))

    with pytest.raises(NotificationFailed) as caught:
        await notifier.send(BREACH)

    error = caught.value
    assert (error.transient, error.retry_after) == (transient, retry_after)
    assert TOKEN not in repr(error) and TOKEN.split(":")[1] not in str(error)
    if "description" in body:
        assert body["description"] in str(error)


async def test_an_unreachable_api_is_transient_and_keeps_the_token_out() -> None:
    async with httpx.AsyncClient(timeout=2.0) as http:
        api = f"http://127.0.0.1:{free_port()}"
        notifier = TelegramNotifier(http=http, token=TOKEN, zone=MOSCOW, api_url=api)
        with pytest.raises(NotificationFailed) as caught:
            await notifier.send(BREACH)

    assert caught.value.transient is True
    assert TOKEN.split(":")[1] not in str(caught.value) and caught.value.__cause__ is None


async def test_the_token_stays_out_of_httpx_log_lines(
    bot: tuple[TelegramNotifier, BotApi], caplog: pytest.LogCaptureFixture
) -> None:
    notifier, _ = bot
    with caplog.at_level(logging.INFO, logger="httpx"):
        await notifier.send(BREACH)

    assert "/bot<hidden>/sendMessage" in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text


async def test_one_channel_failing_while_the_other_delivers_is_sent(
    bot: tuple[TelegramNotifier, BotApi], caplog: pytest.LogCaptureFixture
) -> None:
    telegram, api = bot
    fanout = Fanout([emailer(free_port()), telegram])

    await fanout.send(BREACH)

    assert len(api.calls) == 1
    assert "not by EmailNotifier" in caplog.text  # the lost channel is not silent


async def test_every_channel_failing_is_transient_when_any_failure_is(
    bot: tuple[TelegramNotifier, BotApi],
) -> None:
    telegram, api = bot
    api.replies.append((400, refusal(400, "Bad Request: chat not found")))

    with pytest.raises(NotificationFailed) as caught:
        await Fanout([telegram, emailer(free_port())]).send(BREACH)  # the permanent one first

    assert caught.value.transient is True
    assert "chat not found" in str(caught.value)


async def test_a_skipping_channel_does_not_count_as_delivered(
    bot: tuple[TelegramNotifier, BotApi], mailbox: tuple[Mailbox, int]
) -> None:
    telegram, api = bot
    box, port = mailbox
    box.refuse = "550 5.1.1 No such user here"
    email_only = replace(BREACH, to=replace(HEAD, telegram_chat_id=None))

    with pytest.raises(NotificationFailed) as caught:
        await Fanout([emailer(port), telegram]).send(email_only)

    assert caught.value.transient is False and api.calls == []


async def test_a_contact_no_channel_reaches_fails_for_good(
    bot: tuple[TelegramNotifier, BotApi],
) -> None:
    telegram, api = bot
    nowhere = replace(BREACH, to=replace(HEAD, email=None, telegram_chat_id=None))

    with pytest.raises(NotificationFailed) as caught:
        await Fanout([emailer(free_port()), telegram]).send(nowhere)

    assert caught.value.transient is False and api.calls == []
