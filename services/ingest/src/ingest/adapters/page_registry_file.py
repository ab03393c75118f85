"""The page registry file (`config/pages.yaml`): the demo region's seed, imported into the
database by `python -m ingest.pages import FILE`, and read directly by tools and edge tests."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from appeals_common.events import Platform
from ingest.domain.api_keys import ApiKey, key_digest, key_prefix
from ingest.domain.page_fields import PageCreate
from ingest.domain.pages import Page, PageRegistry


class _PageRecord(PageCreate):
    # Published keys so the demo and the tests can call the generic API: development only.
    demo_api_keys: list[str] = Field(default=[], max_length=10)

    @model_validator(mode="after")
    def _demo_keys_only_for_sources(self) -> "_PageRecord":
        if self.demo_api_keys and self.platform != Platform.API:
            raise ValueError("demo_api_keys belong to pages of platform api")
        if any(len(key) < 32 for key in self.demo_api_keys):
            raise ValueError("a demo API key has at least 32 characters")
        return self


class _RegistryFile(BaseModel):
    # The outer model's config decides how nested errors are shown.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    pages: list[_PageRecord]


@dataclass(frozen=True)
class Seed:
    """The file's pages, and its demo API keys in full (page id -> keys)."""

    pages: list[Page]
    demo_keys: dict[str, list[str]]

    def api_keys(self) -> list[ApiKey]:
        """The demo keys as the database stores them; a key's id derives from its digest."""
        return [
            ApiKey(f"demo-{key_digest(key)[:16]}", page_id, key_prefix(key), key_digest(key))
            for page_id, keys in self.demo_keys.items()
            for key in keys
        ]

    def registry(self) -> PageRegistry:
        return PageRegistry(self.pages, self.api_keys())


def load_seed(path: Path) -> Seed:
    """Read and validate the file; a typo fails here, before anything is imported."""
    data = _RegistryFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    pages = [record.to_page() for record in data.pages]
    keys = {record.id: record.demo_api_keys for record in data.pages if record.demo_api_keys}
    return Seed(pages, keys)


def load_page_registry(path: Path) -> PageRegistry:
    """The file as an in-memory registry (tools and edge tests; the service reads the database)."""
    return load_seed(path).registry()
