"""What the webhooks of a page's bot (Telegram, MAX) do alike: one URL per page, so the page is
known from the path; a secret header checked against that page's secret only; then the update
read, turned into what it means and published once Kafka has it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from fastapi import Path, Request, status

from appeals_common.events import Platform
from ingest.bootstrap import Ingest
from ingest.domain.outcomes import Outcome, PayloadError
from ingest.domain.pages import Page
from ingest.entrypoints.edge import read_json, reject, settle, throttle

Update = TypeVar("Update")
PageId = Annotated[str, Path(min_length=1, max_length=128)]


@dataclass(frozen=True)
class BotPlatform(Generic[Update]):
    """A bot platform's reading of its updates (its domain package's three functions)."""

    platform: Platform
    what: str  # "a Telegram update", in error messages
    parse: Callable[[object], Update]
    to_outcome: Callable[..., Outcome]
    label: Callable[[Update], str]  # the update's kind, a metrics label


async def receive_update(
    bot: BotPlatform[Update], page_id: str, secret: str | None, request: Request, ingest: Ingest
) -> None:
    """Check the page and its secret, then publish what the update means (or count it ignored)."""
    name = bot.platform.value
    page = ingest.pages.get(page_id)
    if page is None or page.platform != bot.platform:
        raise reject(name, status.HTTP_403_FORBIDDEN, "unknown_page", "page not registered")
    if page.secret is None or not page.secret_matches(secret):
        raise reject(name, status.HTTP_401_UNAUTHORIZED, "bad_secret", "bad secret token")
    throttle(ingest, name, page.id)
    body = await read_json(request, name, bot.what)
    try:
        update = bot.parse(body)
        outcome = _outcome(bot, update, page, ingest)
    except PayloadError as exc:
        detail = f"not {bot.what}: {exc}"
        raise reject(name, status.HTTP_400_BAD_REQUEST, "malformed", detail) from exc
    await settle(outcome, ingest, name, bot.label(update))


def _outcome(bot: BotPlatform[Update], update: Update, page: Page, ingest: Ingest) -> Outcome:
    salt = ingest.settings.author_key_salt
    return bot.to_outcome(update, page, salt=salt, received_at=datetime.now(UTC))
