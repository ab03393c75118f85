"""`POST /callbacks/vk`: the VK Callback API endpoint shared by every registered community."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request, status
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest.domain import vk
from ingest.entrypoints.deps import IngestDep
from ingest.entrypoints.edge import read_json, reject, settle, throttle

router = APIRouter(tags=["callbacks"])


@router.post("/callbacks/vk", response_class=PlainTextResponse)
async def vk_callback(request: Request, ingest: IngestDep) -> str:
    """Answer the handshake with the confirmation string, events with `ok` once Kafka has them."""
    body = await read_json(request, "vk", "a VK callback")
    try:
        callback = vk.parse_callback(body)
    except vk.VkPayloadError as exc:
        detail = f"not a VK callback: {exc}"
        raise reject("vk", status.HTTP_400_BAD_REQUEST, "malformed", detail) from exc
    page = ingest.pages.find(Platform.VK, str(callback.group_id))
    if page is None:
        raise reject("vk", status.HTTP_403_FORBIDDEN, "unknown_page", "community is not registered")
    if not page.secret_matches(callback.secret):
        raise reject("vk", status.HTTP_403_FORBIDDEN, "bad_secret", "bad secret")
    if callback.type == "confirmation":
        if not page.confirmation:
            raise reject("vk", status.HTTP_403_FORBIDDEN, "no_confirmation", "no confirmation set")
        return page.confirmation
    throttle(ingest, "vk", page.id)  # after the handshake: confirming must never be refused
    try:
        outcome = vk.to_outcome(
            callback, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
        )
    except vk.VkPayloadError as exc:
        raise reject("vk", status.HTTP_400_BAD_REQUEST, "malformed", str(exc)) from exc
    await settle(outcome, ingest, "vk", vk.type_label(callback.type))
    return "ok"
