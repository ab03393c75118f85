"""Text cleaning, deterministic appeal ids and pseudonymous author keys."""

import re
import uuid

import pytest

from appeals_common.events import AppealKind, Platform
from ingest.domain.normalise import appeal_id, author_key, clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("[id123|Иван Петров], когда будет ответ?", "Иван Петров, когда будет ответ?"),
        ("[club1|Администрация], почините фонарь", "Администрация, почините фонарь"),
        ("[public7|Госпаблик] ответьте", "Госпаблик ответьте"),
        ("МУП &quot;Горводоканал&quot; &amp; УК", 'МУП "Горводоканал" & УК'),
        ("до&shy;рога ве\u00adзде", "дорога везде"),
        ("нет\u200b ото\u200cпле\u200dния\ufeff", "нет отопления"),
        ("  нет   воды \t\u00a0 третий  день  ", "нет воды третий день"),
        ("первая строка  \n   вторая строка", "первая строка\nвторая строка"),
        ("абзац один\n\n\n\n  \n абзац два", "абзац один\n\nабзац два"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_mention_markup_that_is_not_a_vk_mention_is_left_alone() -> None:
    assert clean_text("[см. фото] и [id|без номера]") == "[см. фото] и [id|без номера]"


@pytest.mark.parametrize(
    "link",
    [
        "https://vk.com/wall-222222_3?reply=4&thread=2",
        "https://гоуслуги.рф/help/faq?id=10",
        "https://www.gosuslugi.ru/600101/1/form?utm_source=vk&utm_medium=post",
    ],
)
def test_links_are_kept_intact(link: str) -> None:
    assert clean_text(f"Подробнее: {link} ") == f"Подробнее: {link}"


@pytest.mark.parametrize(
    "link",
    [
        "https://ivanovo.ru/news/?id=15&region=37",
        "https://ivanovo.ru/docs/?page=2&section=5",
        "https://example.ru/api?a=1&param=x&copy=2&timestamp=17",
    ],
)
def test_links_with_query_parameters_named_like_html_entities_are_kept_intact(link: str) -> None:
    # html.unescape decodes legacy entities without ";" (&reg, &sect, &para, &copy, &times)
    assert clean_text(f"Подробнее: {link}") == f"Подробнее: {link}"


def test_an_escaped_ampersand_in_a_link_is_decoded_once() -> None:
    assert clean_text("https://ivanovo.ru/?id=15&amp;region=37") == (
        "https://ivanovo.ru/?id=15&region=37"
    )


def test_the_same_object_always_gets_the_same_appeal_id() -> None:
    first = appeal_id(Platform.VK, "222222", AppealKind.COMMENT, "wall-222222_3/4")
    again = appeal_id(Platform.VK, "222222", AppealKind.COMMENT, "wall-222222_3/4")

    assert first == again
    assert first.version == 5


def test_the_appeal_id_namespace_and_key_format_are_fixed() -> None:
    # changing the namespace or the key format would re-key every stored appeal
    namespace = uuid.UUID("6f1c1a52-3c1e-4c57-9a55-2b7f1de0a001")

    assert appeal_id(Platform.VK, "222222", AppealKind.COMMENT, "wall-222222_3/4") == uuid.uuid5(
        namespace, "vk:222222:comment:wall-222222_3/4"
    )


@pytest.mark.parametrize(
    "other",
    [
        (Platform.OK, "222222", AppealKind.COMMENT, "wall-222222_3/4"),
        (Platform.VK, "333333", AppealKind.COMMENT, "wall-222222_3/4"),
        (Platform.VK, "222222", AppealKind.PRIVATE_MESSAGE, "wall-222222_3/4"),
        (Platform.VK, "222222", AppealKind.COMMENT, "wall-222222_3/5"),
    ],
)
def test_a_different_object_gets_a_different_appeal_id(
    other: tuple[Platform, str, AppealKind, str],
) -> None:
    base = appeal_id(Platform.VK, "222222", AppealKind.COMMENT, "wall-222222_3/4")

    assert appeal_id(*other) != base


def test_author_key_is_stable_and_short_hex() -> None:
    key = author_key("salt-1", Platform.VK, "111111")

    assert key == author_key("salt-1", Platform.VK, "111111")
    assert re.fullmatch(r"[0-9a-f]{24}", key)


def test_author_key_depends_on_the_salt_platform_and_author() -> None:
    key = author_key("salt-1", Platform.VK, "111111")

    assert author_key("salt-2", Platform.VK, "111111") != key
    assert author_key("salt-1", Platform.OK, "111111") != key
    assert author_key("salt-1", Platform.VK, "111112") != key


def test_author_key_does_not_contain_the_platform_id() -> None:
    author = "987654321"

    keys = [author_key(salt, Platform.VK, author) for salt in ("a", "b", "c", "d", "e")]

    assert all(author not in key for key in keys)
    assert all(author[:6] not in key for key in keys)
