"""What a page record may hold, checked once for every way a page comes in (the seed file and
the admin API): field formats, the credentials its platform requires, a real time zone."""

import re
import zoneinfo
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from appeals_common.events import Platform
from ingest.domain.pages import Page, missing_credentials, polling_problem
from ingest.domain.storable import refuse_unstorable

_NUMERIC_ID = r"^-?\d{1,20}$"
# Tokens and keys go into a signature and an HTTP header: printable ASCII, no spaces.
_CREDENTIAL = r"^[!-~]{1,512}$"
_IANA_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
# The tokens a page posts its answers with: each belongs to one platform's API.
_ANSWER_TOKENS = {"vk_access_token": Platform.VK, "telegram_bot_token": Platform.TELEGRAM}


class _Strict(BaseModel):
    # Errors must not echo a secret into a log or a 422 answer.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    @field_validator("*")
    @classmethod
    def _storable(cls, value: object) -> object:
        # PostgreSQL text holds no NUL, UTF-8 no lone surrogate; JSON can carry both.
        return refuse_unstorable(value) if isinstance(value, str) else value


class PageFields(_Strict):
    """Everything about a page but its registry id."""

    platform: Platform
    external_id: str = Field(min_length=1, max_length=128)
    body_id: str = Field(min_length=1, max_length=128)
    name: str = Field(min_length=1, max_length=512)
    territory: str | None = Field(default=None, min_length=1, max_length=256)
    timezone: str | None = Field(default=None, max_length=64, description="IANA, Europe/Moscow")
    secret: str | None = Field(default=None, min_length=1, max_length=256)
    confirmation: str | None = Field(default=None, min_length=1, max_length=256)
    bot_id: str | None = Field(default=None, pattern=_NUMERIC_ID)
    discussion_id: str | None = Field(default=None, pattern=_NUMERIC_ID)
    url_token: str | None = Field(
        default=None, min_length=32, max_length=256, pattern=r"^[A-Za-z0-9_-]+$"
    )
    ok_application_key: str | None = Field(default=None, pattern=_CREDENTIAL)
    ok_access_token: str | None = Field(default=None, pattern=_CREDENTIAL)
    ok_session_secret: str | None = Field(default=None, pattern=_CREDENTIAL)
    max_bot_token: str | None = Field(default=None, pattern=_CREDENTIAL)
    vk_access_token: str | None = Field(default=None, pattern=_CREDENTIAL)
    telegram_bot_token: str | None = Field(default=None, pattern=_CREDENTIAL)

    @field_validator("timezone")
    @classmethod
    def _known_time_zone(cls, value: str | None) -> str | None:
        if value is not None and not _is_time_zone(value):
            raise ValueError("timezone must be an IANA time zone name such as Europe/Moscow")
        return value

    @model_validator(mode="after")
    def _has_what_its_platform_needs(self) -> "PageFields":
        missing = missing_credentials(self.platform, self.model_dump())
        if missing:
            raise ValueError(f"a {self.platform} page needs {', '.join(missing)}")
        problem = polling_problem(self.platform, self.model_dump())
        if problem:
            raise ValueError(problem)
        for name, platform in _ANSWER_TOKENS.items():
            if getattr(self, name) is not None and self.platform != platform:
                raise ValueError(f"a {self.platform} page has no {name}")
        return self


class PageCreate(PageFields):
    """A new page: `POST /admin/v1/pages`, or one entry of the seed file."""

    id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

    def to_page(self) -> Page:
        return Page(**self.model_dump(include=set(PageCreate.model_fields)))


class PageUpdate(_Strict):
    """`PUT /admin/v1/pages/{id}`: the fields sent replace the stored ones, the others stay;
    null clears an optional field. The id and the platform are fixed for a page's life."""

    external_id: str | None = Field(default=None, min_length=1, max_length=128)
    body_id: str | None = Field(default=None, min_length=1, max_length=128)
    name: str | None = Field(default=None, min_length=1, max_length=512)
    territory: str | None = None
    timezone: str | None = None
    secret: str | None = None
    confirmation: str | None = None
    bot_id: str | None = None
    discussion_id: str | None = None
    url_token: str | None = None
    ok_application_key: str | None = None
    ok_access_token: str | None = None
    ok_session_secret: str | None = None
    max_bot_token: str | None = None
    vk_access_token: str | None = None
    telegram_bot_token: str | None = None

    @field_validator("external_id", "body_id", "name")
    @classmethod
    def _required_stays_set(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("cannot be cleared")
        return value


def updated(page: Page, page_in: PageUpdate) -> PageCreate:
    """The page with `page_in` applied, checked as a whole (ValidationError when it is not)."""
    values: dict[str, Any] = {**vars(page), **page_in.model_dump(exclude_unset=True)}
    return PageCreate.model_validate(values)


def _is_time_zone(name: str) -> bool:
    if not _IANA_NAME.match(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # Without a tz database on the host every name is unknown: then trust the format.
        return not zoneinfo.available_timezones()
    return True
