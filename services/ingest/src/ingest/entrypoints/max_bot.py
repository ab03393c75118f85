"""`POST /callbacks/max/{page_id}`: the webhook of a page's MAX bot (one subscription per bot,
its `secret` sent back as `X-Max-Bot-Api-Secret`)."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, status
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest.domain import max_bot
from ingest.entrypoints.deps import IngestDep
from ingest.entrypoints.edge import read_json, reject, settle, throttle

router = APIRouter(tags=["callbacks"])
PageId = Annotated[str, Path(min_length=1, max_length=128)]
SecretHeader = Annotated[str | None, Header(alias="X-Max-Bot-Api-Secret", max_length=256)]


@router.post("/callbacks/max/{page_id}", response_class=PlainTextResponse)
async def max_webhook(
    page_id: PageId, request: Request, ingest: IngestDep, secret: SecretHeader = None
) -> str:
    """200 once Kafka has what the update means; MAX retries any other status for hours."""
    page = ingest.pages.get(page_id)
    if page is None or page.platform != Platform.MAX:
        raise reject("max", status.HTTP_403_FORBIDDEN, "unknown_page", "page not registered")
    if page.secret is None or not page.secret_matches(secret):
        raise reject("max", status.HTTP_401_UNAUTHORIZED, "bad_secret", "bad secret")
    throttle(ingest, "max", page.id)
    body = await read_json(request, "max", "a MAX update")
    try:
        update = max_bot.parse_update(body)
        outcome = max_bot.to_outcome(
            update, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
        )
    except max_bot.MaxPayloadError as exc:
        detail = f"not a MAX update: {exc}"
        raise reject("max", status.HTTP_400_BAD_REQUEST, "malformed", detail) from exc
    await settle(outcome, ingest, "max", max_bot.type_label(update.update_type))
    return "ok"
