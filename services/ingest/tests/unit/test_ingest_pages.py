"""Pages: the shared-secret check and look-ups in the registry."""

import pytest

from appeals_common.events import Platform
from ingest.domain.pages import Page, PageRegistry

VK_PAGE = Page("vk-adm-test", Platform.VK, "222222", "adm-test", "Администрация", secret="s3cret")
OPEN_PAGE = Page("site-test", Platform.API, "site-test", "adm-test", "Форма на сайте")
OTHER_VK = Page("vk-gov-test", Platform.VK, "333333", "gov-test", "Правительство", secret="x")


@pytest.mark.parametrize(
    ("presented", "matches"),
    [("s3cret", True), ("s3cret ", False), ("S3CRET", False), ("", False), (None, False)],
)
def test_a_page_with_a_secret_accepts_only_that_secret(
    presented: str | None, matches: bool
) -> None:
    assert VK_PAGE.secret_matches(presented) is matches


def test_a_non_ascii_secret_is_a_mismatch_not_an_error() -> None:
    # the secret comes from the request body, so anyone can send one
    assert VK_PAGE.secret_matches("секрет") is False


def test_a_page_without_a_secret_accepts_only_no_secret() -> None:
    assert OPEN_PAGE.secret_matches(None) is True
    assert OPEN_PAGE.secret_matches("anything") is False


def test_the_secret_and_confirmation_are_not_in_the_repr() -> None:
    page = Page("p", Platform.VK, "1", "b", "n", secret="s3cret", confirmation="c0nf")

    assert "s3cret" not in repr(page)
    assert "c0nf" not in repr(page)


def test_the_registry_finds_pages_by_platform_id_and_by_registry_id() -> None:
    registry = PageRegistry([VK_PAGE, OPEN_PAGE, OTHER_VK])

    assert len(registry) == 3
    assert registry.find(Platform.VK, "222222") is VK_PAGE
    assert registry.find(Platform.VK, "333333") is OTHER_VK
    assert registry.find(Platform.API, "site-test") is OPEN_PAGE
    assert registry.get("vk-gov-test") is OTHER_VK


def test_the_registry_answers_none_for_unknown_pages() -> None:
    registry = PageRegistry([VK_PAGE, OPEN_PAGE])

    assert registry.find(Platform.VK, "999999") is None
    assert registry.find(Platform.OK, "222222") is None
    assert registry.find(Platform.VK, "site-test") is None
    assert registry.get("vk-unknown") is None
    assert len(PageRegistry([])) == 0


def test_the_url_token_is_not_in_the_repr_and_matches_only_exactly() -> None:
    page = Page("ok-test", Platform.OK, "1", "b", "n", url_token="tok-" + "x" * 30)

    assert "tok-" not in repr(page)
    assert page.url_token_matches("tok-" + "x" * 30)
    assert not page.url_token_matches("tok-" + "x" * 29)
    assert not page.url_token_matches("ток")
    assert not OPEN_PAGE.url_token_matches("")
