"""The gazetteer finds the places an appeal's text names, inflected and abbreviated as written,
and leaves ordinary words alone."""

import ast
from pathlib import Path

import pytest

import router.domain
from appeals_common.events import PlaceMention
from router.domain import street_names as sn
from router.domain.gazetteer import (
    AddressMatch,
    CityDistrict,
    Gazetteer,
    HouseSet,
    Settlement,
    Street,
    is_oktmo,
    narrow,
    oktmo_prefix,
    oktmo_within,
)

CITY, CITY_NAME = "24701000", "Иваново"
VILLAGE, DISTRICT_NAME = "24607422101", "Ивановский муниципальный район"


def city_street(type_: str, name: str, **kw: object) -> Street:
    return Street(CITY, CITY_NAME, CITY_NAME, type_, name, **kw)  # type: ignore[arg-type]


def village_street(type_: str, name: str, **kw: object) -> Street:
    return Street(VILLAGE, DISTRICT_NAME, "Богородское", type_, name, **kw)  # type: ignore[arg-type]


LEZHNEVSKAYA = city_street(
    "улица",
    "Лежневская",
    district="Октябрьский",
    aliases=("Лежневка",),
    houses=HouseSet.parse("1-180;182а"),
)
SHEREMETEVSKY = city_street("проспект", "Шереметевский")
CITY_SADOVAYA = city_street("улица", "Садовая")
VILLAGE_SADOVAYA = village_street("улица", "Садовая")
CENTRALNAYA = village_street("улица", "Центральная", houses=HouseSet.parse("1-20"))
OTHER_CENTRALNAYA = Street(
    "24607420101",
    DISTRICT_NAME,
    "Ново-Талицы",
    "улица",
    "Центральная",
    houses=HouseSet.parse("1-5"),
)
ENTRIES = (
    Settlement(CITY, CITY_NAME, "город", "Иваново"),
    Settlement(VILLAGE, DISTRICT_NAME, "село", "Богородское"),
    Settlement("24607420101", DISTRICT_NAME, "деревня", "Ново-Талицы"),
    CityDistrict(CITY, CITY_NAME, CITY_NAME, "Октябрьский"),
    LEZHNEVSKAYA,
    SHEREMETEVSKY,
    CITY_SADOVAYA,
    VILLAGE_SADOVAYA,
    CENTRALNAYA,
    OTHER_CENTRALNAYA,
    city_street("улица", "Школьная"),
    city_street("улица", "Советская"),
    city_street("проспект", "Фридриха Энгельса"),
    city_street("улица", "8 Марта"),
    city_street("улица", "10 Августа"),
    city_street("улица", "Ленина"),
    city_street("улица", "Весёлая"),
    city_street("переулок", "Посадский"),
    city_street("бульвар", "Воронина"),
    city_street("шоссе", "Кохомское"),
    city_street("площадь", "Революции"),
    city_street("набережная", "Уводи"),
    city_street("микрорайон", "Московский"),
    city_street("проезд", "Строительный"),
)
GAZETTEER = Gazetteer.build(ENTRIES)


def only(text: str) -> AddressMatch:
    matches = GAZETTEER.find(text)
    assert len(matches) == 1, matches
    return matches[0]


# -- OKTMO codes --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["24701000", "24607422101"])
def test_eight_or_eleven_ascii_digits_are_an_oktmo_code(code: str) -> None:
    assert is_oktmo(code)


@pytest.mark.parametrize(
    "code", ["2470100", "247010001", "2470100O", "２４７０１０００", "24701000²"]
)
def test_other_shapes_are_not_an_oktmo_code(code: str) -> None:
    assert not is_oktmo(code)


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("24000000", "24"),  # the region
        ("24600000", "246"),  # the region's municipal districts, as a group
        ("24701000", "24701"),  # an urban okrug
        ("24710000", "24710"),  # zeros inside a level are digits, not "the whole level"
        ("24607400", "246074"),  # a district's rural settlements, as a group
        ("24607422", "24607422"),  # a rural settlement
        ("24607422101", "24607422101"),  # a village
        ("24701000000", "24701"),  # an 11-digit spelling of the okrug
    ],
)
def test_an_oktmo_prefix_stops_at_a_level_boundary(code: str, prefix: str) -> None:
    assert oktmo_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "territory", "within"),
    [
        ("24701000", "24000000", True),
        ("24701000001", "24701000", True),
        ("24607422101", "24607000", True),
        ("24607422101", "24607422", True),
        ("24607422101", "24600000", True),
        ("24607422101", "24701000", False),
        ("24715000", "24710000", False),
        ("24710000", "24710000", True),
        ("24701000", "24701000001", False),
        ("25701000", "24000000", False),
        ("24701000", "24", True),  # a bare prefix of digits is a territory too
        ("not-a-code", "24000000", False),
    ],
)
def test_a_code_is_within_a_territory_by_its_significant_prefix(
    code: str, territory: str, within: bool
) -> None:
    assert oktmo_within(code, territory) is within


def test_a_territory_that_is_no_code_or_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="not an OKTMO territory"):
        oktmo_within("24701000", "Иваново")


# -- house sets --------------------------------------------------------------------------


def test_a_house_set_holds_its_ranges_and_listed_numbers() -> None:
    houses = HouseSet.parse("1-180;182а;15/2")

    assert all(h in houses for h in ("1", "120", "180", "182а", "182А", "182 а", "15/2"))
    assert not any(h in houses for h in ("0", "181", "182", "182б", "190/2", ""))


def test_a_range_covers_the_lettered_and_fractional_variants_of_its_numbers() -> None:
    houses = HouseSet.parse("1-180")

    assert "120а" in houses
    assert "120/1" in houses
    assert "181а" not in houses


def test_equal_house_sets_are_equal_however_written() -> None:
    assert (
        HouseSet.parse("1-3;5")
        == HouseSet.parse("3;1;2;5")
        == HouseSet.of((), ["1", "2", "3", "5"])
    )
    assert HouseSet.parse("1-3;4-6") == HouseSet.parse("1-6")
    assert HouseSet.parse("182А") == HouseSet.parse("182а")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("20-10", "runs backwards"),
        ("1-", "not a house number or range"),
        ("а", "not a house number or range"),
        ("0", "not a house number or range"),
        ("1;;2", "not a house number or range"),
    ],
)
def test_a_bad_house_list_is_refused(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        HouseSet.parse(text)


# -- finding places in text ----------------------------------------------------------------


def test_a_street_named_without_its_type_word_is_found_with_its_house() -> None:
    text = "на Лежневской 120 батареи ледяные"

    match = only(text)

    assert match.kind == "street"
    assert match.entry == LEZHNEVSKAYA
    assert (match.oktmo, match.municipality) == (CITY, CITY_NAME)
    assert match.house == "120"
    assert match.house_listed is True
    assert match.text == "Лежневской 120"
    assert text[match.span[0] : match.span[1]] == match.text
    assert not match.ambiguous


@pytest.mark.parametrize(
    "text",
    [
        "Лежневская улица вся в ямах",
        "по Лежневской не пройти",
        "на Лежневскую улицу",
        "на улице Лежневской",
        "ул.Лежневская",
        "ул. Лежневская, д. 5",
        "на лежневской 120",
        "НА ЛЕЖНЕВСКОЙ 120",
        "на Лежневке яма",
    ],
)
def test_an_adjectival_street_name_is_found_in_its_forms(text: str) -> None:
    assert only(text).entry == LEZHNEVSKAYA


@pytest.mark.parametrize(
    "text",
    [
        "Шереметевский проспект",
        "на Шереметевском проспекте",
        "вдоль Шереметевского проспекта",
        "пр-т Шереметевский",
        "просп. Шереметевский",
        "пр. Шереметевский",
        "на Шереметевском",
    ],
)
def test_a_masculine_street_name_is_found_in_its_forms(text: str) -> None:
    assert only(text).entry == SHEREMETEVSKY


def test_an_adjective_of_another_gender_is_another_name() -> None:
    assert GAZETTEER.find("на Лежневском рынке") == ()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("улица Ленина, 5", "Ленина"),
        ("на ул. 8 Марта", "8 Марта"),
        ("улица 10 Августа", "10 Августа"),
        ("проспект Фридриха Энгельса", "Фридриха Энгельса"),
        ("на Фридриха Энгельса", "Фридриха Энгельса"),
        ("на Энгельса 7 не горят фонари", "Фридриха Энгельса"),
        ("на Веселой 3", "Весёлая"),
        ("на Весёлой 3", "Весёлая"),
        ("пер. Посадский", "Посадский"),
        ("б-р Воронина", "Воронина"),
        ("ш. Кохомское", "Кохомское"),
        ("на Кохомском шоссе", "Кохомское"),
        ("пл. Революции", "Революции"),
        ("наб. Уводи", "Уводи"),
        ("мкр. Московский", "Московский"),
        ("в Московском микрорайоне", "Московский"),
        ("пр-д Строительный", "Строительный"),
    ],
)
def test_names_in_the_genitive_and_abbreviated_types_are_found(text: str, name: str) -> None:
    assert only(text).entry.name == name


@pytest.mark.parametrize(
    ("text", "house"),
    [
        ("Лежневская, д. 5", "5"),
        ("Лежневская д.5", "5"),
        ("Лежневская дом 5", "5"),
        ("Лежневская, 5а", "5а"),
        ("Лежневская 5А", "5а"),
        ("Лежневская 5/2", "5/2"),
        ("Лежневская 5 корпус 2", "5"),
        ("Лежневская, дом № 7", "7"),
        ("Лежневская 3 дня без воды", None),  # a count, not a house
        ("Лежневская 3-й день без воды", None),
        ("Лежневская. 5 подъездов, и все холодные", None),  # another sentence
        ("Лежневская 2024", None),
    ],
)
def test_a_house_number_after_the_street_is_read(text: str, house: str | None) -> None:
    assert only(text).house == house


@pytest.mark.parametrize(
    ("text", "house"),
    [
        ("Дом 15 по улице Лежневской, течёт крыша", "15"),
        ("в доме 12а по Лежневской нет воды", "12а"),
        ("в д. 3 на ул. Лежневской холодно", "3"),
        ("Лежневская, д. 5, а в доме 7 по ней тоже", "5"),  # after the street wins
        ("15 по улице Лежневской", None),  # no house word: a count, a bus, anything
        ("дом 15. По улице Лежневской", None),  # another sentence
    ],
)
def test_a_house_number_before_the_street_is_read(text: str, house: str | None) -> None:
    assert only(text).house == house


def test_a_house_outside_the_street_list_is_reported_as_not_listed() -> None:
    assert only("на Лежневской 190").house_listed is False
    assert only("на Шереметевском 190").house_listed is None  # any house goes


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("в селе Богородское", "Богородское"),
        ("с. Богородское", "Богородское"),
        ("в Богородском", "Богородское"),
        ("из Богородского ходит автобус", "Богородское"),
        ("г. Иваново", "Иваново"),
        ("в Иванове", "Иваново"),
        ("Иваново", "Иваново"),
        ("в деревне Ново-Талицы", "Ново-Талицы"),
    ],
)
def test_a_settlement_is_found(text: str, name: str) -> None:
    match = only(text)
    assert (match.kind, match.entry.name) == ("settlement", name)


@pytest.mark.parametrize("text", ["в Октябрьском районе", "Октябрьский р-н", "Октябрьского района"])
def test_a_city_district_is_found_with_the_word_district(text: str) -> None:
    match = only(text)
    assert (match.kind, match.entry.name) == ("district", "Октябрьский")


@pytest.mark.parametrize(
    "text",
    [
        "в школьной столовой холодно",
        "Советская власть",
        "Садовая",
        "на Садовой опять копают",
        "8 марта 2024 года",
        "в Октябрьском всё спокойно",
        "жалоба на Иванова",
        "лежневская",
    ],
)
def test_ordinary_words_are_no_place(text: str) -> None:
    assert GAZETTEER.find(text) == ()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("на Садовой 5", "Садовая"),
        ("ул. Школьная", "Школьная"),
        ("Школьная улица", "Школьная"),
        ("по улице Советской", "Советская"),
        ("по Советской, 12", "Советская"),
    ],
)
def test_a_street_named_like_a_word_is_found_beside_a_type_or_a_house(text: str, name: str) -> None:
    assert only(text).entry.name == name


def test_a_street_in_several_municipalities_comes_with_every_candidate() -> None:
    match = only("на Садовой 5")

    assert match.ambiguous
    assert set(match.candidates) == {CITY_SADOVAYA, VILLAGE_SADOVAYA}


def test_narrow_prefers_candidates_within_the_territory() -> None:
    matches = GAZETTEER.find("на Садовой 5")

    assert narrow(matches, ["24607000"])[0].candidates == (VILLAGE_SADOVAYA,)
    assert narrow(matches, [CITY])[0].candidates == (CITY_SADOVAYA,)
    assert set(narrow(matches, ["24000000"])[0].candidates) == {CITY_SADOVAYA, VILLAGE_SADOVAYA}
    assert narrow(matches, ["25000000"]) == matches  # none within: the caller decides


def test_a_settlement_named_in_the_same_text_settles_the_street() -> None:
    settlement, street = GAZETTEER.find("в селе Богородское на Садовой 5 нет света")

    assert settlement.entry.name == "Богородское"
    assert street.candidates == (VILLAGE_SADOVAYA,)


def test_the_street_that_lists_the_house_comes_first() -> None:
    assert only("на Центральной 12").entry == CENTRALNAYA
    assert set(only("на Центральной 12").candidates) == {CENTRALNAYA, OTHER_CENTRALNAYA}


def test_places_come_in_the_order_written() -> None:
    text = "в Октябрьском районе на Лежневской 120 и на Шереметевском проспекте"

    assert [m.kind for m in GAZETTEER.find(text)] == ["district", "street", "street"]
    assert [m.entry.name for m in GAZETTEER.find(text)][1:] == ["Лежневская", "Шереметевский"]


def test_tokens_keep_the_texts_spans_and_fold_their_forms() -> None:
    text = "ул. 1-я Полевая, д. 5А/2; в Ёлкино 3-й день İstanbul — 8 Марта"

    tokens = sn.tokenize(text)

    written = " ".join(text[t.start : t.end] for t in tokens)
    assert written == "ул 1-я Полевая д 5А/2 в Ёлкино 3-й день İstanbul 8 Марта"
    assert (
        " ".join(t.form for t in tokens) == "ул 1 полевая д 5а/2 в елкино 3 день İstanbul 8 марта"
    )
    assert [t.form for t in tokens if t.house] == ["5а/2", "8"]
    assert sn.forms(text) == [t.form for t in tokens]  # the quick first look sees the same


# -- resolving the classifier's mentions --------------------------------------------------


def mention(kind: str, value: str) -> PlaceMention:
    return PlaceMention(kind=kind, text=value, value=value)


def test_mentions_resolve_and_a_house_joins_its_street() -> None:
    places = [
        mention("settlement", "город Иваново"),
        mention("street", "улица Лежневская"),
        mention("house", "дом 120"),
        mention("district", "Октябрьский район"),
        mention("institution", "школа № 5"),
    ]

    town, street, district = GAZETTEER.resolve(places)

    assert (town.kind, town.entry.name) == ("settlement", "Иваново")
    assert (street.entry, street.house, street.house_listed) == (LEZHNEVSKAYA, "120", True)
    assert (district.kind, district.entry.name) == ("district", "Октябрьский")


def test_a_mention_is_trusted_to_be_a_place_of_its_kind() -> None:
    (match,) = GAZETTEER.resolve([mention("street", "Садовая"), mention("house", "д. 5")])

    assert match.house == "5"
    assert set(match.candidates) == {CITY_SADOVAYA, VILLAGE_SADOVAYA}


def test_a_mention_of_an_unknown_place_resolves_to_nothing() -> None:
    assert GAZETTEER.resolve([mention("street", "улица Неизвестная"), mention("house", "5")]) == ()


# -- purity --------------------------------------------------------------------------------

DOMAIN = Path(router.domain.__file__).parent
IO_MODULES = {"os", "io", "pathlib", "csv", "xml", "open", "sqlalchemy", "fastapi", "aiokafka"}


@pytest.mark.parametrize("module", ["gazetteer.py", "gazetteer_entries.py", "street_names.py"])
def test_the_gazetteer_domain_does_no_io(module: str) -> None:
    tree = ast.parse((DOMAIN / module).read_text(encoding="utf-8"))
    roots = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    roots |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    calls = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert (roots | calls) & IO_MODULES == set()


# Timing, by hand (not a test: the machine's load decides it), from services/router/tests/unit:
#   ../../../../.venv/bin/python -m timeit -s "from test_gazetteer import GAZETTEER as g; \
#     t = 'Третью неделю на Лежневской 120 батареи ледяные, в квартирах холодно. ' * 5" "g.find(t)"
# 355 characters naming a street five times: about 100 µs on a busy 2-core machine; a text naming
# one place spends most of its time in the tokenizer's regular expression.
