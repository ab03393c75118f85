"""The page registry file: the shipped config loads; a file with a typo fails at start-up."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from appeals_common.events import Platform
from ingest.adapters.page_registry_file import load_page_registry

PAGES_YAML = Path(__file__).resolve().parents[4] / "config" / "pages.yaml"


def test_the_shipped_registry_loads() -> None:
    registry = load_page_registry(PAGES_YAML)

    assert len(registry) == 5
    vk_page = registry.find(Platform.VK, "220001")
    assert vk_page is not None
    assert vk_page.id == "vk-adm-ivanovo"
    assert vk_page.body_id == "adm-ivanovo"
    assert vk_page.secret is not None
    assert vk_page.confirmation is not None
    site = registry.get("site-ivanovo")
    assert site is not None
    assert site.platform == Platform.API
    assert site.secret is None


def test_every_vk_page_of_the_shipped_registry_has_a_secret_and_a_confirmation() -> None:
    registry = load_page_registry(PAGES_YAML)
    vk_pages = [registry.find(Platform.VK, group) for group in ("220001", "220002", "220003")]

    assert all(page is not None and page.secret and page.confirmation for page in vk_pages)


def test_a_page_with_an_unknown_field_fails(tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    path.write_text(
        "pages:\n"
        "  - id: vk-test\n"
        "    platform: vk\n"
        '    external_id: "222222"\n'
        "    body_id: adm-test\n"
        "    name: Тест\n"
        "    secrte: typo\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match="secrte"):
        load_page_registry(path)


def test_a_page_on_an_unknown_platform_fails(tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    path.write_text(
        "pages:\n  - {id: x, platform: myspace, external_id: '1', body_id: b, name: n}\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match="platform"):
        load_page_registry(path)


def test_an_empty_secret_fails(tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    path.write_text(
        "pages:\n  - {id: x, platform: vk, external_id: '1', body_id: b, name: n, secret: ''}\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match="secret"):
        load_page_registry(path)
