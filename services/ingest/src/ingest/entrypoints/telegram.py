"""`POST /callbacks/telegram/{page_id}`: the webhook of a page's Telegram bot.

One URL per page (set with `setWebhook(url, secret_token=...)`), so the page is known before
the body is read and the secret header is checked against that page's secret only.
"""

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest.domain import telegram
from ingest.entrypoints.bot_webhook import BotPlatform, PageId, receive_update
from ingest.entrypoints.deps import IngestDep

router = APIRouter(tags=["callbacks"])
SecretHeader = Annotated[
    str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token", max_length=256)
]


TELEGRAM = BotPlatform(
    Platform.TELEGRAM,
    "a Telegram update",
    telegram.parse_update,
    telegram.to_outcome,
    telegram.update_kind,
)


@router.post("/callbacks/telegram/{page_id}", response_class=PlainTextResponse)
async def telegram_webhook(
    page_id: PageId, request: Request, ingest: IngestDep, secret: SecretHeader = None
) -> str:
    """An empty 200 once Kafka has what the update means; Telegram retries anything else."""
    await receive_update(TELEGRAM, page_id, secret, request, ingest)
    return ""
