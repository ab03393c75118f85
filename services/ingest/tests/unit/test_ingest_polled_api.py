"""One request to a polled API: 429 becomes RateLimited with its Retry-After and pauses the
host, other failures PollFailed; no error carries the URL's parameters (they hold tokens)."""

import httpx
import pytest

from ingest.adapters.host_throttle import LONGEST_WAIT_S, HostThrottle
from ingest.adapters.poll_errors import PollFailed, RateLimited
from ingest.adapters.polled_api import get_json

URL = "https://api.example/fb.do"
SECRET = {"access_token": "tkn-secret-value"}


def client(answer: httpx.Response | Exception) -> httpx.AsyncClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.AsyncClient(transport=httpx.MockTransport(handle))


async def test_a_json_answer_is_returned() -> None:
    async with client(httpx.Response(200, json={"ok": 1})) as http:
        assert await get_json(http, HostThrottle({}), URL, params=SECRET) == {"ok": 1}


async def test_a_429_pauses_the_host_beyond_what_a_poll_may_wait() -> None:
    throttle = HostThrottle({"api.example": 1000.0})
    async with client(httpx.Response(429, headers={"Retry-After": "120"})) as http:
        with pytest.raises(RateLimited) as caught:
            await get_json(http, throttle, URL, params=SECRET)
        with pytest.raises(RateLimited) as again:  # no request: the host is paused
            await get_json(http, throttle, URL, params=SECRET)

    assert caught.value.retry_after_s == 120
    assert again.value.retry_after_s is not None
    assert again.value.retry_after_s > LONGEST_WAIT_S


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500),
        httpx.Response(200, content=b"<html>"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ],
)
async def test_failures_say_host_and_status_never_the_token(
    answer: httpx.Response | Exception,
) -> None:
    async with client(answer) as http:
        with pytest.raises(PollFailed) as caught:
            await get_json(http, HostThrottle({}), URL, params=SECRET)

    assert not isinstance(caught.value, RateLimited)
    assert "api.example" in str(caught.value)
    assert "tkn-secret-value" not in str(caught.value)
    assert caught.value.__cause__ is None


async def test_a_form_is_posted_and_kept_out_of_the_url() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as http:
        await get_json(http, HostThrottle({}), URL, form=SECRET)

    assert seen[0].method == "POST"
    assert "tkn-secret-value" not in str(seen[0].url)
    assert b"access_token=tkn-secret-value" in seen[0].content
