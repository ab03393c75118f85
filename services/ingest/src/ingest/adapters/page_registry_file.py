"""Loads the page registry from a YAML file (the admin API comes with the ingest issue)."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from appeals_common.events import Platform
from ingest.domain.pages import Page, PageRegistry


class _PageRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    platform: Platform
    external_id: str
    body_id: str
    name: str
    secret: str | None = Field(default=None, min_length=1)
    confirmation: str | None = None


class _RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pages: list[_PageRecord]


def load_page_registry(path: Path) -> PageRegistry:
    """Read and validate the registry file; fail at start-up rather than on a callback."""
    data = _RegistryFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return PageRegistry([Page(**record.model_dump()) for record in data.pages])
