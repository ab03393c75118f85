"""What every platform endpoint does alike: read the body, refuse with a counted reason,
publish what the event means or count why not."""

import json

from fastapi import HTTPException, Request, status

from ingest import metrics
from ingest.bootstrap import Ingest
from ingest.domain.outcomes import Emit, Outcome
from ingest.handlers import publish


def reject(platform: str, code: int, reason: str, detail: str) -> HTTPException:
    """A counted refusal; `reason` is a fixed word (it is a metrics label), never input."""
    metrics.CALLBACKS_REJECTED.labels(platform=platform, reason=reason).inc()
    return HTTPException(code, detail)


async def read_json(request: Request, platform: str, what: str) -> object:
    """The body as JSON, or a 400 that says why not (the body size is limited upstream)."""
    try:
        return json.loads(await request.body())
    except RecursionError as exc:  # nesting deeper than the parser's stack, not a ValueError
        raise reject(
            platform, status.HTTP_400_BAD_REQUEST, "malformed", f"not {what}: nested too deeply"
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        raise reject(
            platform, status.HTTP_400_BAD_REQUEST, "malformed", f"not {what}: {exc}"
        ) from exc


async def settle(outcome: Outcome, ingest: Ingest, platform: str, type_label: str) -> None:
    """Publish and wait for Kafka (a 503 if it does not answer), or count the ignored event."""
    if isinstance(outcome, Emit):
        await publish(outcome, ingest.publisher)
    else:
        metrics.CALLBACKS_IGNORED.labels(platform=platform, type=type_label).inc()
