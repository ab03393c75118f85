"""The gazetteer's CSV file: rows become entries; a broken row is refused by its line number."""

from pathlib import Path

import pytest

from router.adapters.gazetteer_csv import load_gazetteer_csv, parse_gazetteer_csv
from router.domain.gazetteer import (
    CityDistrict,
    Gazetteer,
    GazetteerImportError,
    HouseSet,
    Settlement,
    Street,
)

HEADER = "oktmo,municipality,settlement_type,settlement,district,street_type,street,houses,aliases"
SAMPLE = f"""\
{HEADER}
24701000,Иваново,город,Иваново,,,,,
24701000,Иваново,город,Иваново,Октябрьский район,,,,
24701000,Иваново,город,Иваново,Октябрьский район,улица,Лежневская,1-180;182а,Лежневка
24701000,Иваново,город,Иваново,,проспект,Шереметевский,,
24607422101,Ивановский муниципальный район,село,Богородское,,улица,Центральная,,
"""
CITY_ROW = "24701000,Иваново,город,Иваново"


def parse(text: str) -> tuple[object, ...]:
    return parse_gazetteer_csv(text.splitlines(keepends=True))


def test_the_sample_rows_become_settlements_districts_and_streets() -> None:
    entries = parse(SAMPLE)

    assert entries == (
        Settlement("24701000", "Иваново", "город", "Иваново"),
        Settlement("24607422101", "Ивановский муниципальный район", "село", "Богородское"),
        CityDistrict("24701000", "Иваново", "Иваново", "Октябрьский"),
        Street(
            "24701000",
            "Иваново",
            "Иваново",
            "улица",
            "Лежневская",
            district="Октябрьский",
            aliases=("Лежневка",),
            houses=HouseSet.parse("1-180;182а"),
        ),
        Street("24701000", "Иваново", "Иваново", "проспект", "Шереметевский"),
        Street(
            "24607422101", "Ивановский муниципальный район", "Богородское", "улица", "Центральная"
        ),
    )


def test_imported_entries_are_found_in_text() -> None:
    gazetteer = Gazetteer.build(parse_gazetteer_csv(SAMPLE.splitlines()))

    (match,) = gazetteer.find("на Лежневке, д. 182а")

    assert (match.entry.name, match.house, match.house_listed) == ("Лежневская", "182а", True)
    assert gazetteer.find("в селе Богородское")[0].entry.oktmo == "24607422101"


def test_types_are_read_in_their_written_forms() -> None:
    (town, street) = parse(
        f"{HEADER}\n24607422101,Ивановский район,поселок,Лесной,,ул.,Садовая,,\n"
    )

    assert isinstance(street, Street) and isinstance(town, Settlement)
    assert (town.type, street.type) == ("посёлок", "улица")


def test_a_settlements_own_row_adds_aliases_to_the_one_its_streets_imply() -> None:
    aliases = "Иваново-Вознесенск;Ситцевый край"
    text = f"{HEADER}\n{CITY_ROW},,улица,Лежневская,,\n{CITY_ROW},,,,,{aliases}\n"

    settlement, street = parse(text)

    assert settlement == Settlement(
        "24701000", "Иваново", "город", "Иваново", ("Иваново-Вознесенск", "Ситцевый край")
    )
    assert isinstance(street, Street)


def test_blank_lines_are_skipped_and_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.csv"
    path.write_text(SAMPLE.replace("\n24701000,Иваново,город,Иваново,,,,,", "\n\n"), "utf-8-sig")

    assert len(load_gazetteer_csv(path)) == 6


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (f"{CITY_ROW},,улица,Лежневская,", "expected 9 columns, found 8"),
        (f"{CITY_ROW},,улица,Лежневская,,,", "expected 9 columns, found 10"),
        ("2470100,Иваново,город,Иваново,,,,,", "OKTMO must be 8 or 11 digits: '2470100'"),
        ("24701000x,Иваново,город,Иваново,,,,,", "OKTMO must be 8 or 11 digits"),
        (f"{CITY_ROW},,аллейка,Липовая,,", "unknown street type 'аллейка'"),
        ("24701000,Иваново,мегаполис,Иваново,,,,,", "unknown settlement type 'мегаполис'"),
        (f"{CITY_ROW},,улица,Лежневская,20-10,", "houses item 1: the range runs backwards"),
        (f"{CITY_ROW},,улица,Лежневская,1-5;дом,", "houses item 2: not a house number or range"),
        (f"{CITY_ROW},,улица,,,", "street_type and street go together"),
        (f"{CITY_ROW},,,Лежневская,,", "street_type and street go together"),
        (f"{CITY_ROW},,,,1-5,", "houses belong to a street row"),
        ("24701000,,город,Иваново,,,,,", "municipality and settlement must not be empty"),
        (f'{CITY_ROW},,улица,"Лежневская,,', "unexpected end of data"),
    ],
)
def test_a_broken_row_is_refused_with_its_line(row: str, error: str) -> None:
    with pytest.raises(GazetteerImportError, match=error) as refused:
        parse(f"{SAMPLE}{row}\n")

    assert refused.value.line == 7
    assert str(refused.value).startswith("7: ")


def test_a_duplicate_street_is_refused_naming_both_lines() -> None:
    text = f"{SAMPLE}{CITY_ROW},,проспект,Шереметевский,1-10,\n"

    with pytest.raises(GazetteerImportError, match="duplicate of line 5") as refused:
        parse(text)

    assert refused.value.line == 7


def test_a_duplicate_settlement_row_is_refused() -> None:
    with pytest.raises(GazetteerImportError, match="duplicate of line 2") as refused:
        parse(f"{SAMPLE}{CITY_ROW},,,,,\n")

    assert refused.value.line == 7


def test_one_place_under_two_municipality_names_is_refused() -> None:
    row = "24701000,Город Иваново,город,Иваново,,улица,Ленина,,"

    with pytest.raises(GazetteerImportError, match="another municipality on line 2"):
        parse(f"{SAMPLE}{row}\n")


@pytest.mark.parametrize("text", ["", "oktmo,municipality\n", HEADER.replace("houses", "house")])
def test_a_missing_or_wrong_header_is_refused_on_line_one(text: str) -> None:
    with pytest.raises(GazetteerImportError, match="the header must be oktmo,municipality") as e:
        parse(text)

    assert e.value.line == 1


def test_a_file_with_one_bad_row_yields_no_entries_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.csv"
    path.write_text(SAMPLE + f"{CITY_ROW},,улица,Лежневская,20-10,\n", "utf-8")

    with pytest.raises(GazetteerImportError) as refused:
        load_gazetteer_csv(path)

    assert str(refused.value).startswith("gazetteer.csv:7: ")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.csv"
    path.write_bytes(SAMPLE.encode("cp1251"))

    with pytest.raises(GazetteerImportError, match="utf-8"):
        load_gazetteer_csv(path)
