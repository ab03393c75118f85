"""Loads the page registry from a YAML file (the admin API comes with the ingest issue)."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from appeals_common.events import Platform
from ingest.domain.pages import Page, PageRegistry

_NEEDS = {
    Platform.TELEGRAM: ("secret", "bot_id", "discussion_id"),
    Platform.MAX: ("secret", "bot_id"),
    Platform.OK: ("url_token",),
}


class _PageRecord(BaseModel):
    # Errors must not echo a secret into the start-up log.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    id: str = Field(min_length=1, max_length=128)
    platform: Platform
    external_id: str
    body_id: str
    name: str
    secret: str | None = Field(default=None, min_length=1)
    confirmation: str | None = None
    bot_id: str | None = Field(default=None, pattern=r"^-?\d{1,20}$")
    discussion_id: str | None = Field(default=None, pattern=r"^-?\d{1,20}$")
    url_token: str | None = Field(default=None, min_length=32, pattern=r"^[A-Za-z0-9_-]+$")

    @model_validator(mode="after")
    def _has_what_its_platform_needs(self) -> "_PageRecord":
        missing = [name for name in _NEEDS.get(self.platform, ()) if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.platform} page needs {', '.join(missing)}")
        return self


class _RegistryFile(BaseModel):
    # The outer model's config decides how nested errors are shown.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    pages: list[_PageRecord]


def load_page_registry(path: Path) -> PageRegistry:
    """Read and validate the registry file; fail at start-up rather than on a callback."""
    data = _RegistryFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return PageRegistry([Page(**record.model_dump()) for record in data.pages])
