"""The seed file: demo API keys only on sources, only in development, stored as digests."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from ingest.adapters.page_registry_file import load_seed
from ingest.domain.api_keys import key_digest
from ingest.seed_import import DemoKeysRefused, check_environment

PAGES_YAML = Path(__file__).resolve().parents[4] / "config" / "pages.yaml"
DEMO_KEY = "demo-only-api-key-" + "x" * 20


def write(tmp_path: Path, record: str) -> Path:
    path = tmp_path / "pages.yaml"
    path.write_text(f"pages:\n  - {{{record}}}\n", encoding="utf-8")
    return path


def test_the_shipped_seed_has_a_demo_key_per_source_and_territories() -> None:
    seed = load_seed(PAGES_YAML)

    assert sorted(seed.demo_keys) == ["callcentre-region", "site-ivanovo"]
    assert all(page.timezone == "Europe/Moscow" and page.territory for page in seed.pages)
    site_key = seed.demo_keys["site-ivanovo"][0]
    assert seed.registry().source_of(site_key) is not None
    assert {k.digest for k in seed.api_keys()} >= {key_digest(site_key)}
    assert all(k.prefix == k.prefix[:11] and len(k.prefix) == 11 for k in seed.api_keys())


def test_demo_keys_are_refused_outside_development() -> None:
    seed = load_seed(PAGES_YAML)

    check_environment(seed, "development")
    with pytest.raises(DemoKeysRefused, match="ENVIRONMENT=production"):
        check_environment(seed, "production")


def test_demo_keys_belong_to_sources_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"id: vk-x, platform: vk, external_id: '1', body_id: b, name: n,"
        f" demo_api_keys: [{DEMO_KEY}]",
    )

    with pytest.raises(ValidationError, match="platform api"):
        load_seed(path)


def test_a_short_demo_key_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = write(
        tmp_path, "id: s, platform: api, external_id: s, body_id: b, name: n, demo_api_keys: [abc]"
    )

    with pytest.raises(ValidationError, match="32 characters") as caught:
        load_seed(path)
    assert "abc]" not in str(caught.value)
