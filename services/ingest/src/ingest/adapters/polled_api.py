"""One request to a polled API: throttled per host, with a timeout, and every way it can go
wrong turned into PollFailed (RateLimited for a 429, with its Retry-After). Credentials travel
in a header or a form body, never in the URL (httpx logs URLs at INFO), and no error carries
the request."""

import math
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

from ingest.adapters.host_throttle import HostThrottle
from ingest.adapters.poll_errors import PollFailed, RateLimited

DEFAULT_RETRY_AFTER_S = 60.0


async def get_json(
    http: httpx.AsyncClient,
    throttle: HostThrottle,
    url: str,
    *,
    params: Mapping[str, str | int] | None = None,
    form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> object:
    """GET with `params`, or POST `form`: the answer's JSON body, else PollFailed naming only
    the host and the status."""
    host = urlsplit(url).netloc
    await throttle.wait(host)
    try:
        if form is None:
            answer = await http.get(url, params=params, headers=headers)
        else:
            answer = await http.post(url, data=form, headers=headers)
    except httpx.HTTPError as exc:
        raise PollFailed(f"{host}: {type(exc).__name__}") from None
    if answer.status_code == 429:
        retry_after = _seconds(answer.headers.get("Retry-After"))
        throttle.pause(host, retry_after)
        raise RateLimited(f"{host}: 429", retry_after_s=retry_after)
    if answer.status_code != 200:
        raise PollFailed(f"{host}: HTTP {answer.status_code}")
    try:
        return answer.json()
    except ValueError:
        raise PollFailed(f"{host}: not JSON") from None


def _seconds(value: str | None) -> float:
    # Seconds only: an HTTP date is rare from APIs, and the default is a safe wait.
    try:
        seconds = float(value or "")
    except ValueError:
        return DEFAULT_RETRY_AFTER_S
    return min(max(seconds, 1.0), 3600.0) if math.isfinite(seconds) else DEFAULT_RETRY_AFTER_S
