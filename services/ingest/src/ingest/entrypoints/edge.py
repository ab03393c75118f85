"""What every platform endpoint does alike: read the body, refuse with a counted reason,
publish what the event means or count why not."""

import json
import math
import time

from fastapi import HTTPException, Request, status

from ingest import metrics
from ingest.bootstrap import Ingest
from ingest.domain.outcomes import Emit, Outcome
from ingest.domain.storable import MESSAGE, has_unstorable_text, may_hold_unstorable_text
from ingest.handlers import is_own_reply, publish


def reject(platform: str, code: int, reason: str, detail: str) -> HTTPException:
    """A counted refusal; `reason` is a fixed word (it is a metrics label), never input."""
    metrics.CALLBACKS_REJECTED.labels(platform=platform, reason=reason).inc()
    return HTTPException(code, detail)


_LONGEST_RETRY_AFTER_S = 3600


def throttle(ingest: Ingest, platform: str, page_id: str) -> None:
    """Spend one of the page's tokens, or refuse with 429 and when to come back."""
    throttled = ingest.rate_limiter.take(page_id, time.monotonic())
    if throttled is None:
        return
    metrics.CALLBACKS_RATE_LIMITED.labels(platform=platform).inc()
    # Whole seconds, as HTTP has it; VK wants a Retry-After under 3 h.
    retry_after = min(max(1, math.ceil(throttled.retry_after_s)), _LONGEST_RETRY_AFTER_S)
    raise HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        f"too many events for this page: retry after {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


async def read_json(request: Request, platform: str, what: str) -> object:
    """The body as JSON, or a 400 that says why not (the body size is limited upstream)."""
    raw = await request.body()
    try:
        # Decoded here, strictly: json.loads(bytes) lets surrogates encoded as UTF-8 through.
        body = json.loads(raw.decode("utf-8-sig"))
    except RecursionError as exc:  # nesting deeper than the parser's stack, not a ValueError
        raise reject(
            platform, status.HTTP_400_BAD_REQUEST, "malformed", f"not {what}: nested too deeply"
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise reject(
            platform, status.HTTP_400_BAD_REQUEST, "malformed", f"not {what}: {exc}"
        ) from exc
    if may_hold_unstorable_text(raw) and has_unstorable_text(body):
        raise reject(platform, status.HTTP_400_BAD_REQUEST, "malformed", f"not {what}: {MESSAGE}")
    return body


async def settle(outcome: Outcome, ingest: Ingest, platform: str, type_label: str) -> None:
    """Publish and wait for Kafka (a 503 if it does not answer), or count the ignored event."""
    if isinstance(outcome, Emit):
        if not await is_own_reply(outcome, ingest.own_replies):
            await publish(outcome, ingest.publisher)
    else:
        metrics.CALLBACKS_IGNORED.labels(platform=platform, type=type_label).inc()
