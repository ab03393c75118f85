"""The VK sender over real HTTP against the fake VK API (tools/fake_platforms): each comment
family and messages.send, guid and random_id making repeats post once, every injected fault
as its SendError; and, on httpx's mock transport, where the token goes, the network's
failures and the sender's own rate limit. Needs no Kafka or database."""

import socket
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fakes.server import serve

from appeals_common.events import AppealKind, DeliveryFailure, Platform
from ingest.adapters.senders.vk import VkSender
from ingest.domain.delivery.model import Outgoing, Posted, SendError
from ingest.domain.pages import Page
from tools.fake_platforms import vk as fake_vk
from tools.fake_platforms.app import create_app
from tools.fake_platforms.core import Ledger

TOKEN = "vk1.a.community-token-for-tests"
PAGE = Page("vk-adm-test", Platform.VK, "222222", "adm", "Администрация", vk_access_token=TOKEN)
F = DeliveryFailure


def outgoing(external_id: str, text: str = "Ответ администрации") -> Outgoing:
    kind = AppealKind.PRIVATE_MESSAGE if external_id.startswith("msg") else AppealKind.COMMENT
    return Outgoing(uuid.uuid4(), Platform.VK, kind, external_id, "111111", text)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[VkSender, Ledger, str]]:
    app = create_app()
    async with serve(app) as base, httpx.AsyncClient(timeout=5.0) as http:
        yield VkSender(http, f"{base}/vk/method"), app.state.ledgers["vk"], base


async def failure(sender: VkSender, external_id: str, page: Page = PAGE) -> SendError:
    with pytest.raises(SendError) as caught:
        await sender.send(page, outgoing(external_id), "k:0")
    return caught.value


@pytest.mark.parametrize(
    ("external_id", "method", "target"),
    [
        ("wall-222222_3/4", "wall.createComment", "wall-222222_3"),
        ("photo-222222_9/3", "photos.createComment", "photo-222222_9"),
        ("video-222222_8/6", "video.createComment", "video-222222_8"),
        ("market-222222_5/7", "market.createComment", "market-222222_5"),
        ("topic-222222_333/2", "board.createComment", "topic-222222_333"),
    ],
)
async def test_each_family_gets_its_comment_once(
    fake: tuple[VkSender, Ledger, str], external_id: str, method: str, target: str
) -> None:
    sender, ledger, _ = fake

    posted = await sender.send(PAGE, outgoing(external_id), "d1:0")

    [reply] = ledger.posted
    assert (reply.method, reply.target, reply.text, reply.token) == (
        method,
        target,
        "Ответ администрации",
        TOKEN,
    )
    assert reply.reply_to == (None if method == "board.createComment" else external_id[-1])
    assert posted.reply_id == reply.reply_id
    assert posted.reply_id.startswith(f"{target}/")


async def test_a_message_is_sent_to_the_dialog_quoting_the_residents(
    fake: tuple[VkSender, Ledger, str],
) -> None:
    sender, ledger, _ = fake

    posted = await sender.send(PAGE, outgoing("msg111111/42"), "d1:0")

    [reply] = ledger.posted
    assert (reply.method, reply.target, reply.reply_to) == ("messages.send", "111111", "42")
    assert posted == Posted(reply.reply_id, None)
    assert posted.reply_id.startswith("msg111111/")


@pytest.mark.parametrize("external_id", ["wall-222222_3/4", "photo-222222_9/3", "msg111111/42"])
async def test_a_repeated_key_posts_once_and_names_the_same_reply(
    fake: tuple[VkSender, Ledger, str], external_id: str
) -> None:
    sender, ledger, _ = fake

    first = await sender.send(PAGE, outgoing(external_id), "d1:0")
    again = await sender.send(PAGE, outgoing(external_id), "d1:0")
    other = await sender.send(PAGE, outgoing(external_id), "d1:1")

    assert again == first
    assert other.reply_id != first.reply_id
    assert len(ledger.posted) == 2


async def test_a_call_cut_off_after_the_post_is_repeated_without_a_second_post(
    fake: tuple[VkSender, Ledger, str],
) -> None:
    _, ledger, base = fake
    ledger.hold()  # the fake posts, then holds its answer back
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, read=0.3)) as impatient:
        with pytest.raises(SendError) as caught:
            await VkSender(impatient, f"{base}/vk/method").send(
                PAGE, outgoing("wall-222222_3/4"), "d1:0"
            )
    ledger.release()

    assert caught.value.retryable and caught.value.maybe_posted
    async with httpx.AsyncClient(timeout=5.0) as http:
        posted = await VkSender(http, f"{base}/vk/method").send(
            PAGE, outgoing("wall-222222_3/4"), "d1:0"
        )
    assert [p.reply_id for p in ledger.posted] == [posted.reply_id]


@pytest.mark.parametrize(
    ("fault", "reason", "retryable", "maybe_posted"),
    [
        ("rate_limit", F.RATE_LIMITED, True, False),
        ("flood_control", F.FLOOD_CONTROL, True, False),
        ("captcha", F.CAPTCHA, False, False),
        ("access_denied", F.ACCESS_DENIED, False, False),
        ("invalid_token", F.INVALID_TOKEN, False, False),
        ("internal_error", F.PLATFORM_ERROR, True, True),
        ("server_error", F.PLATFORM_ERROR, True, False),
    ],
)
async def test_each_fault_is_its_send_error_and_posts_nothing(
    fake: tuple[VkSender, Ledger, str],
    fault: str,
    reason: DeliveryFailure,
    retryable: bool,
    maybe_posted: bool,
) -> None:
    sender, ledger, _ = fake
    ledger.faults.append(fault)

    error = await failure(sender, "wall-222222_3/4")

    assert (error.reason, error.retryable, error.maybe_posted) == (reason, retryable, maybe_posted)
    assert ledger.posted == [] and ledger.calls == 1


async def test_the_control_api_knows_every_fault(fake: tuple[VkSender, Ledger, str]) -> None:
    _, ledger, base = fake
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{base}/_fake/vk/faults", json={"faults": sorted(fake_vk.FAULTS)})

    assert answer.status_code == 200
    assert sorted(ledger.faults) == sorted(fake_vk.FAULTS)


@pytest.mark.parametrize(
    ("arrange", "external_id", "reason"),
    [
        (lambda ledger: ledger.revoked_tokens.add(TOKEN), "wall-222222_3/4", F.INVALID_TOKEN),
        (lambda ledger: ledger.blocked.add("111111"), "msg111111/42", F.BLOCKED_BY_USER),
        (lambda ledger: ledger.deleted.add("wall-222222_3/4"), "wall-222222_3/4", F.TARGET_DELETED),
        (lambda ledger: ledger.deleted.add("wall-222222_3"), "wall-222222_3/4", F.TARGET_DELETED),
        (lambda ledger: ledger.deleted.add("msg111111/42"), "msg111111/42", F.TARGET_DELETED),
    ],
)
async def test_the_platforms_refusals_are_send_errors(
    fake: tuple[VkSender, Ledger, str],
    arrange: Callable[[Ledger], None],
    external_id: str,
    reason: DeliveryFailure,
) -> None:
    sender, ledger, _ = fake
    arrange(ledger)

    error = await failure(sender, external_id)

    assert (error.reason, error.retryable) == (reason, False)
    assert ledger.posted == []


async def test_a_message_too_long_for_vk_is_too_long(fake: tuple[VkSender, Ledger, str]) -> None:
    sender, ledger, _ = fake
    with pytest.raises(SendError) as caught:
        await sender.send(PAGE, outgoing("msg111111/42", "я" * 9001), "k:0")

    assert caught.value.reason is F.TOO_LONG
    assert ledger.posted == []


async def test_a_page_without_a_token_calls_nothing(fake: tuple[VkSender, Ledger, str]) -> None:
    sender, ledger, _ = fake
    page = Page("vk-bare", Platform.VK, "222222", "adm", "Без токена")

    assert (await failure(sender, "wall-222222_3/4", page)).reason is F.NO_CREDENTIALS
    assert ledger.calls == 0


async def test_a_refused_connection_is_retryable_and_posted_nothing() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient(timeout=2.0) as http:
        error = await failure(VkSender(http, f"http://127.0.0.1:{port}/vk/method"), "msg1/2")

    assert (error.reason, error.retryable, error.maybe_posted) == (F.PLATFORM_ERROR, True, False)


def mock(answer: Callable[[httpx.Request], httpx.Response], **options: Any) -> VkSender:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return VkSender(http, "https://api.vk.test/method", **options)


def comment_created(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"response": {"comment_id": 5}})


async def test_the_token_and_version_go_in_the_form_body_only() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return comment_created(request)

    await mock(record, version="5.131").send(PAGE, outgoing("wall-222222_3/4"), "k:0")

    [request] = seen
    assert str(request.url) == "https://api.vk.test/method/wall.createComment"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert (form["access_token"], form["v"]) == (TOKEN, "5.131")


@pytest.mark.parametrize(
    ("raised", "maybe_posted"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.ConnectTimeout("slow"), False),
        (httpx.PoolTimeout("busy"), False),
        (httpx.ReadTimeout("no answer"), True),
        (httpx.RemoteProtocolError("dropped"), True),
        (httpx.WriteError("cut"), True),
    ],
)
async def test_network_failures_say_whether_the_request_went_out(
    raised: Exception, maybe_posted: bool
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise raised

    error = await failure(mock(fail), "wall-222222_3/4")

    assert (error.retryable, error.maybe_posted) == (True, maybe_posted)
    assert TOKEN not in str(error)


async def test_a_429_from_vks_front_waits_its_retry_after() -> None:
    error = await failure(
        mock(lambda _: httpx.Response(429, headers={"Retry-After": "30"})), "msg1/2"
    )

    assert (error.reason, error.retryable, error.retry_after_s) == (F.RATE_LIMITED, True, 30.0)


async def test_the_token_bucket_paces_calls_and_hands_long_waits_back() -> None:
    now, slept = [0.0], []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    sender = mock(comment_created, clock=lambda: now[0], sleep=sleep)
    for number in range(22):
        await sender.send(PAGE, outgoing("wall-222222_3/4"), f"k:{number}")
    assert slept == pytest.approx([0.05, 0.05])  # 20 at once, then 20 a second

    slow = mock(comment_created, rate_per_second=0.1, clock=lambda: now[0], sleep=sleep)
    await slow.send(PAGE, outgoing("wall-222222_3/4"), "k:0")
    with pytest.raises(SendError) as caught:
        await slow.send(PAGE, outgoing("wall-222222_3/4"), "k:1")
    assert (caught.value.reason, caught.value.retryable) == (F.RATE_LIMITED, True)
    assert caught.value.retry_after_s == pytest.approx(10.0)


def test_vk_posts_nothing_twice_and_takes_4096_characters() -> None:
    sender = VkSender(httpx.AsyncClient())
    assert (sender.idempotent, sender.limit) == (True, 4096)
