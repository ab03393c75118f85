"""What the admin API shows of a page: everything but its credentials, which it only names."""

from datetime import datetime

from pydantic import BaseModel, Field

from appeals_common.events import Platform
from ingest.domain.pages import Page

# Below this length the last 4 characters would give away too much of the value.
_SHOW_TAIL_FROM = 12


class SecretRead(BaseModel):
    """Whether a credential is set, and its last 4 characters when it is long enough."""

    set: bool
    last4: str | None = None


class PageRead(BaseModel):
    id: str
    platform: Platform
    external_id: str
    body_id: str
    name: str
    territory: str | None
    timezone: str | None
    bot_id: str | None
    discussion_id: str | None
    secret: SecretRead
    confirmation: SecretRead
    url_token: SecretRead
    ok_application_key: SecretRead
    ok_access_token: SecretRead
    ok_session_secret: SecretRead
    max_bot_token: SecretRead
    vk_access_token: SecretRead
    telegram_bot_token: SecretRead


class PageList(BaseModel):
    total: int
    items: list[PageRead]


class ApiKeyRead(BaseModel):
    id: str
    page_id: str
    prefix: str = Field(description="the key's first characters: which key, not the key")
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyIssued(ApiKeyRead):
    key: str = Field(description="the whole key: shown this once, stored only as a digest")


def masked(value: str | None) -> SecretRead:
    """A credential as the admin API shows it."""
    if value is None:
        return SecretRead(set=False)
    return SecretRead(set=True, last4=value[-4:] if len(value) >= _SHOW_TAIL_FROM else None)


def page_read(page: Page) -> PageRead:
    """A page with its credentials masked."""
    return PageRead(
        id=page.id,
        platform=page.platform,
        external_id=page.external_id,
        body_id=page.body_id,
        name=page.name,
        territory=page.territory,
        timezone=page.timezone,
        bot_id=page.bot_id,
        discussion_id=page.discussion_id,
        secret=masked(page.secret),
        confirmation=masked(page.confirmation),
        url_token=masked(page.url_token),
        ok_application_key=masked(page.ok_application_key),
        ok_access_token=masked(page.ok_access_token),
        ok_session_secret=masked(page.ok_session_secret),
        max_bot_token=masked(page.max_bot_token),
        vk_access_token=masked(page.vk_access_token),
        telegram_bot_token=masked(page.telegram_bot_token),
    )
