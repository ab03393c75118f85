"""`POST /callbacks/vk`: the VK Callback API endpoint shared by every registered community."""

import json
import logging
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest import metrics
from ingest.domain import vk
from ingest.entrypoints.deps import IngestDep
from ingest.handlers import accept_appeal

log = logging.getLogger(__name__)
router = APIRouter(tags=["callbacks"])


def _reject(code: int, reason: str, message: str) -> HTTPException:
    metrics.CALLBACKS_REJECTED.labels(platform="vk", reason=reason).inc()
    return HTTPException(code, message)


@router.post("/callbacks/vk", response_class=PlainTextResponse)
async def vk_callback(request: Request, ingest: IngestDep) -> str:
    """Answer the handshake with the confirmation string, events with `ok` once Kafka has them."""
    try:
        callback = vk.parse_callback(json.loads(await request.body()))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError and VkPayloadError
        raise _reject(
            status.HTTP_400_BAD_REQUEST, "malformed", f"not a VK callback: {exc}"
        ) from exc
    page = ingest.pages.find(Platform.VK, str(callback.group_id))
    if page is None:
        raise _reject(status.HTTP_403_FORBIDDEN, "unknown_page", "community is not registered")
    if not page.secret_matches(callback.secret):
        raise _reject(status.HTTP_403_FORBIDDEN, "bad_secret", "bad secret")
    if callback.type == "confirmation":
        if not page.confirmation:
            raise _reject(
                status.HTTP_403_FORBIDDEN, "no_confirmation", "no confirmation string set"
            )
        return page.confirmation
    try:
        outcome = vk.to_appeal(
            callback, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
        )
    except vk.VkPayloadError as exc:
        raise _reject(status.HTTP_400_BAD_REQUEST, "malformed", str(exc)) from exc
    if isinstance(outcome, vk.Ignored):
        metrics.CALLBACKS_IGNORED.labels(platform="vk", type=callback.type[:40]).inc()
        return "ok"
    await accept_appeal(outcome, ingest.publisher)
    return "ok"
