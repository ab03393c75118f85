"""API keys: random, stored as a digest with a short prefix, and each opens only its source."""

from appeals_common.events import Platform
from ingest.domain.api_keys import ApiKey, key_digest, key_prefix, new_key
from ingest.domain.pages import Page, PageRegistry

SITE = Page("site-test", Platform.API, "site-test", "adm-test", "Форма")
VK = Page("vk-test", Platform.VK, "1", "adm-test", "ВК", secret="s")


def stored(key: str, page_id: str) -> ApiKey:
    return ApiKey("k1", page_id, key_prefix(key), key_digest(key))


def test_new_keys_are_long_distinct_and_prefixed() -> None:
    keys = {new_key() for _ in range(100)}

    assert len(keys) == 100
    assert all(k.startswith("ik_") and len(k) >= 43 for k in keys)


def test_the_prefix_is_short_and_the_digest_is_not_the_key() -> None:
    key = new_key()

    assert key_prefix(key) == key[:11]
    assert key_digest(key) != key and len(key_digest(key)) == 64
    assert key not in repr(stored(key, "site-test"))
    assert key_digest(key) not in repr(stored(key, "site-test"))


def test_a_key_opens_its_source() -> None:
    key = new_key()
    registry = PageRegistry([SITE, VK], [stored(key, "site-test")])

    assert registry.source_of(key) is SITE
    assert registry.source_of(key + "x") is None
    assert registry.source_of("") is None
    assert registry.source_of("ключ") is None


def test_a_key_of_a_page_that_is_not_a_source_or_not_registered_opens_nothing() -> None:
    vk_key, orphan_key = new_key(), new_key()
    registry = PageRegistry([SITE, VK], [stored(vk_key, "vk-test"), stored(orphan_key, "gone")])

    assert registry.source_of(vk_key) is None
    assert registry.source_of(orphan_key) is None
    assert list(registry) == [SITE, VK]
