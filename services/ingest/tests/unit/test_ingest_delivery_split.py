"""Long answers in numbered parts that each fit, cut where a reader would expect."""

import pytest

from ingest.domain.delivery.split import MAX_PARTS, TooLong, split_text


def test_a_text_that_fits_is_sent_as_it_is() -> None:
    assert split_text("  Ответ готов.  ", 100) == ["Ответ готов."]


def test_parts_fit_the_limit_are_numbered_and_lose_no_word() -> None:
    sentences = [f"Предложение номер {n} про ремонт дороги." for n in range(40)]
    text = " ".join(sentences)
    parts = split_text(text, 200)
    assert len(parts) > 1
    assert all(len(p) <= 200 for p in parts)
    assert [p.rsplit(" (", 1)[1] for p in parts] == [
        f"{n}/{len(parts)})" for n in range(1, len(parts) + 1)
    ]
    rejoined = " ".join(p.rsplit(" (", 1)[0] for p in parts)
    assert rejoined.split() == text.split()
    assert all(p.rsplit(" (", 1)[0].endswith(".") for p in parts)  # cut after a sentence


def test_paragraphs_are_preferred_to_sentences() -> None:
    first = "Первый абзац. " * 5
    text = first.strip() + "\n\n" + "Второй абзац. " * 5
    parts = split_text(text, len(first) + 30)
    assert parts[0].startswith("Первый") and "Второй" not in parts[0]


def test_a_long_token_without_breaks_is_cut_but_kept_whole_across_parts() -> None:
    link = "https://example.org/" + "a" * 500
    parts = split_text(link, 120)
    assert all(len(p) <= 120 for p in parts)
    assert "".join(p.rsplit(" (", 1)[0] for p in parts) == link


def test_a_text_needing_too_many_parts_is_refused_not_cut() -> None:
    with pytest.raises(TooLong):
        split_text("слово " * 5000, 100)
    assert len(split_text("слово " * 100, 100)) <= MAX_PARTS
