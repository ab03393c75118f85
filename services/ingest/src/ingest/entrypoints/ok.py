"""`POST /callbacks/ok/{token}`: OK group chat webhooks. OK signs nothing, so the URL each
page subscribes carries an unguessable per-page token, which is how the page is found."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest.domain import ok
from ingest.entrypoints.deps import IngestDep
from ingest.entrypoints.edge import read_json, reject, settle, throttle

router = APIRouter(tags=["callbacks"])
Token = Annotated[str, Path(min_length=1, max_length=256)]


@router.post("/callbacks/ok/{token}", response_class=PlainTextResponse)
async def ok_webhook(token: Token, request: Request, ingest: IngestDep) -> str:
    """200 once Kafka has the message (OK wants an answer within 5 s and retries otherwise)."""
    page = ingest.pages.find_by_url_token(Platform.OK, token)
    if page is None:
        raise reject("ok", status.HTTP_403_FORBIDDEN, "unknown_page", "unknown callback URL")
    throttle(ingest, "ok", page.id)
    body = await read_json(request, "ok", "an OK webhook")
    try:
        update = ok.parse_update(body)
        outcome = ok.to_outcome(
            update, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
        )
    except ok.OkPayloadError as exc:
        detail = f"not an OK webhook: {exc}"
        raise reject("ok", status.HTTP_400_BAD_REQUEST, "malformed", detail) from exc
    await settle(outcome, ingest, "ok", ok.type_label(update))
    return "ok"
