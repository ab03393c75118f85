"""The page registry file: the shipped config loads; a file with a typo fails at start-up."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from appeals_common.events import Platform
from ingest.adapters.page_registry_file import load_page_registry

PAGES_YAML = Path(__file__).resolve().parents[4] / "config" / "pages.yaml"


def test_the_shipped_registry_loads() -> None:
    registry = load_page_registry(PAGES_YAML)

    assert len(registry) == 8
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


def test_the_shipped_registry_has_a_page_on_every_platform_with_its_credentials() -> None:
    registry = load_page_registry(PAGES_YAML)

    telegram = registry.get("tg-adm-ivanovo")
    assert telegram is not None
    assert telegram.platform == Platform.TELEGRAM
    assert (telegram.external_id, telegram.discussion_id) == ("-1001111111111", "-1002222222222")
    assert telegram.bot_id == "7000000001" and telegram.secret
    max_page = registry.get("max-adm-ivanovo")
    assert max_page is not None and max_page.secret and max_page.bot_id
    ok_page = registry.get("ok-adm-ivanovo")
    assert ok_page is not None and ok_page.url_token
    assert registry.find_by_url_token(Platform.OK, ok_page.url_token) is ok_page


@pytest.mark.parametrize(
    ("record", "missing"),
    [
        ("{platform: telegram, secret: s, bot_id: '1'}", "discussion_id"),
        ("{platform: telegram, bot_id: '1', discussion_id: '-2'}", "secret"),
        ("{platform: max, secret: s}", "bot_id"),
        ("{platform: ok}", "url_token"),
    ],
)
def test_a_page_without_what_its_platform_needs_fails(
    tmp_path: Path, record: str, missing: str
) -> None:
    path = tmp_path / "pages.yaml"
    fields = record.strip("{}")
    path.write_text(
        f"pages:\n  - {{id: x, external_id: '1', body_id: b, name: n, {fields}}}\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match=missing):
        load_page_registry(path)


def test_a_short_url_token_fails_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    path.write_text(
        "pages:\n  - {id: x, platform: ok, external_id: '1', body_id: b, name: n,"
        " url_token: short-secret-token}\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match="url_token") as caught:
        load_page_registry(path)

    assert "short-secret-token" not in str(caught.value)


def test_a_bot_id_that_is_not_a_number_fails(tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    path.write_text(
        "pages:\n  - {id: x, platform: max, external_id: '1', body_id: b, name: n,"
        " secret: s, bot_id: '@my_bot'}\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError, match="bot_id"):
        load_page_registry(path)


def test_the_shipped_demo_pages_are_not_polled() -> None:
    # The local stack must not call OK or MAX with made-up credentials.
    assert not [page.id for page in load_page_registry(PAGES_YAML) if page.polled]


def test_a_seed_page_may_carry_polling_credentials(tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    path.write_text(
        "pages:\n"
        "  - {id: max-1, platform: max, external_id: '-70', body_id: b, name: n,\n"
        "     secret: s, bot_id: '7', max_bot_token: bot-token-1}\n",
        encoding="utf-8",
    )

    page = load_page_registry(path).get("max-1")

    assert page is not None and page.polled
