"""`POST /callbacks/max/{page_id}`: the webhook of a page's MAX bot (one subscription per bot,
its `secret` sent back as `X-Max-Bot-Api-Secret`)."""

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest.domain import max_bot
from ingest.entrypoints.bot_webhook import BotPlatform, PageId, receive_update
from ingest.entrypoints.deps import IngestDep

router = APIRouter(tags=["callbacks"])
SecretHeader = Annotated[str | None, Header(alias="X-Max-Bot-Api-Secret", max_length=256)]


MAX = BotPlatform(
    Platform.MAX,
    "a MAX update",
    max_bot.parse_update,
    max_bot.to_outcome,
    lambda update: max_bot.type_label(update.update_type),
)


@router.post("/callbacks/max/{page_id}", response_class=PlainTextResponse)
async def max_webhook(
    page_id: PageId, request: Request, ingest: IngestDep, secret: SecretHeader = None
) -> str:
    """200 once Kafka has what the update means; MAX retries any other status for hours."""
    await receive_update(MAX, page_id, secret, request, ingest)
    return "ok"
