"""`POST /callbacks/telegram/{page_id}`: the webhook of a page's Telegram bot.

One URL per page (set with `setWebhook(url, secret_token=...)`), so the page is known before
the body is read and the secret header is checked against that page's secret only.
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, status
from fastapi.responses import PlainTextResponse

from appeals_common.events import Platform
from ingest.domain import telegram
from ingest.entrypoints.deps import IngestDep
from ingest.entrypoints.edge import read_json, reject, settle, throttle

router = APIRouter(tags=["callbacks"])
PageId = Annotated[str, Path(min_length=1, max_length=128)]
SecretHeader = Annotated[
    str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token", max_length=256)
]


@router.post("/callbacks/telegram/{page_id}", response_class=PlainTextResponse)
async def telegram_webhook(
    page_id: PageId, request: Request, ingest: IngestDep, secret: SecretHeader = None
) -> str:
    """An empty 200 once Kafka has what the update means; Telegram retries anything else."""
    page = ingest.pages.get(page_id)
    if page is None or page.platform != Platform.TELEGRAM:
        raise reject("telegram", status.HTTP_403_FORBIDDEN, "unknown_page", "page not registered")
    if page.secret is None or not page.secret_matches(secret):
        raise reject("telegram", status.HTTP_401_UNAUTHORIZED, "bad_secret", "bad secret token")
    throttle(ingest, "telegram", page.id)
    body = await read_json(request, "telegram", "a Telegram update")
    try:
        update = telegram.parse_update(body)
        outcome = telegram.to_outcome(
            update, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
        )
    except telegram.TelegramPayloadError as exc:
        detail = f"not a Telegram update: {exc}"
        raise reject("telegram", status.HTTP_400_BAD_REQUEST, "malformed", detail) from exc
    await settle(outcome, ingest, "telegram", telegram.update_kind(update))
    return ""
