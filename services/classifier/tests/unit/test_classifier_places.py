"""Places and objects named in appeals, as residents write them."""

import pytest

from classifier.domain.places import MAX_PLACES, extract_places


def _found(text: str) -> list[tuple[str, str]]:
    return [(place.kind, place.value) for place in extract_places(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Во дворе дома 5 по ул. Ленина не вывозят мусор",
         [("house", "дом 5"), ("street", "улица Ленина")]),
        ("ул ленина 5 нет воды", [("street", "улица ленина"), ("house", "дом 5")]),
        ("ул.Ленина,5", [("street", "улица Ленина"), ("house", "дом 5")]),
        ("на ул. 8 Марта, 12а", [("street", "улица 8 Марта"), ("house", "дом 12а")]),
        ("на пр-т Шереметевский д. 12",
         [("street", "проспект Шереметевский"), ("house", "дом 12")]),
        ("на улице Советской темно", [("street", "улица Советской")]),
        ("г. Кинешма, ул. Вичугская",
         [("settlement", "город Кинешма"), ("street", "улица Вичугская")]),
        ("деревня Бурдино Ивановского района",
         [("settlement", "деревня Бурдино"), ("district", "Ивановский район")]),
        ("в д. Ново-Талицы и с. Ногинское",
         [("settlement", "деревня Ново-Талицы"), ("settlement", "село Ногинское")]),
    ],
)  # fmt: skip
def test_addresses_and_toponyms(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("в школе № 5 плохо кормят", "школа № 5"),
        ("в школе №5 плохо кормят", "школа № 5"),
        ("в 5-й школе плохо кормят", "школа № 5"),
        ("поликлиника N2 не берет трубку", "поликлиника № 2"),
        ("в детском саду № 12 нет мест", "детский сад № 12"),
        ("садик 14 закрыли", None),
        ("в гимназии №3", "гимназия № 3"),
        ("больница номер 4", "больница № 4"),
        ("2-ю поликлинику закрыли на ремонт", "поликлиника № 2"),
    ],
)
def test_institutions_with_numbers(text: str, value: str | None) -> None:
    institutions = [v for kind, v in _found(text) if kind == "institution"]

    assert institutions == ([value] if value else [])


@pytest.mark.parametrize(
    "text",
    [
        "на улице темно и холодно",
        "с Новым годом всех",
        "после праздников не вывезли",
        "проезд подорожал",
        "в школе плохо кормят",
        "плохо работает",
        "",
    ],
)
def test_ordinary_words_are_not_places(text: str) -> None:
    assert _found(text) == []


def test_each_place_is_reported_once_and_the_list_is_bounded() -> None:
    text = " ".join(f"школа № {n}, ул. Ленина" for n in range(30))

    found = extract_places(text)

    assert len(found) == MAX_PLACES
    assert [p.value for p in found].count("улица Ленина") == 1


def test_the_written_form_is_kept_beside_the_normal_one() -> None:
    [place] = extract_places("в 5-й школе")

    assert place.text == "5-й школе"
    assert place.value == "школа № 5"
