"""The ГАР importer: the extract's current settlements and streets become entries, history is
skipped, and unsafe or broken files are refused naming the file and line."""

import shutil
from pathlib import Path

import pytest

from router.adapters.gazetteer_csv import parse_gazetteer_csv
from router.adapters.gazetteer_gar import load_gar
from router.domain.gazetteer import Gazetteer, GazetteerImportError, HouseSet, Settlement, Street
from router.domain.street_names import canonical_settlement_type, canonical_street_type

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "gar"
CITY = ("24701000", "Иваново", "Иваново")
VILLAGE = ("24607422101", "Ивановский муниципальный район", "Богородское")
# The same places as the extract, written in the CSV format.
SAME_AS_CSV = """\
oktmo,municipality,settlement_type,settlement,district,street_type,street,houses,aliases
24701000,Иваново,г,Иваново,,ул,Лежневская,1-3;120;182а,
24701000,Иваново,г,Иваново,,пр-кт,Шереметевский,,
24701000,Иваново,г,Иваново,,проспект,Фридриха Энгельса,,
24701000,Иваново,г,Иваново,,улица,8 Марта,,
24701000,Иваново,г,Иваново,,улица,Садовая,,
24701000,Иваново,г,Иваново,,мкр,Московский,,
24607422101,Ивановский муниципальный район,с,Богородское,,улица,Центральная,5;7,
24607422101,Ивановский муниципальный район,с,Богородское,,улица,Садовая,,
"""


@pytest.fixture
def gar(tmp_path: Path) -> Path:
    """A copy of the extract to spoil."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "gar"))


def the_file(directory: Path, prefix: str) -> Path:
    (path,) = directory.glob(f"{prefix}_2*.XML")
    return path


def streets(entries: tuple[object, ...]) -> dict[str, Street]:
    return {e.name: e for e in entries if isinstance(e, Street) and e.oktmo == CITY[0]}


def test_the_extract_becomes_settlements_then_streets() -> None:
    entries = load_gar(FIXTURE)

    assert entries[:2] == (
        Settlement(VILLAGE[0], VILLAGE[1], "село", "Богородское"),
        Settlement(CITY[0], CITY[1], "город", "Иваново"),
    )
    assert {(e.oktmo, e.type, e.name) for e in entries[2:] if isinstance(e, Street)} == {
        (VILLAGE[0], "улица", "Центральная"),
        (VILLAGE[0], "улица", "Садовая"),
        (CITY[0], "улица", "Лежневская"),
        (CITY[0], "проспект", "Шереметевский"),
        (CITY[0], "проспект", "Фридриха Энгельса"),
        (CITY[0], "улица", "8 Марта"),
        (CITY[0], "улица", "Садовая"),
        (CITY[0], "микрорайон", "Московский"),  # a planning structure (level 7) of a street type
    }
    assert len(entries) == 10


def test_houses_under_a_street_become_its_house_set() -> None:
    lezhnevskaya = streets(load_gar(FIXTURE))["Лежневская"]

    assert lezhnevskaya.houses == HouseSet.parse("1-3;120;182а")
    assert streets(load_gar(FIXTURE))["Шереметевский"].houses is None  # none registered: any


def test_history_is_skipped() -> None:
    entries = load_gar(FIXTURE)
    names = {e.name for e in entries}

    assert "Фрунзе" not in names  # neither actual nor active
    assert "Лежневский" not in names  # the street's former, no longer actual, name
    lezhnevskaya = streets(entries)["Лежневская"]
    assert lezhnevskaya.houses is not None and "999" not in lezhnevskaya.houses  # demolished
    # An inactive link placed Садовая 1115 in the village; the active one keeps it in the city.
    assert streets(entries)["Садовая"].settlement == "Иваново"


def test_a_street_without_its_own_oktmo_takes_its_ancestors() -> None:
    assert streets(load_gar(FIXTURE))["Шереметевский"].oktmo == "24701000"


def test_the_municipality_is_the_level_three_ancestor() -> None:
    municipalities = {
        (e.settlement, e.municipality) for e in load_gar(FIXTURE) if isinstance(e, Street)
    }

    assert municipalities == {CITY[1:][::-1], VILLAGE[1:][::-1]}


def test_the_extract_and_its_csv_twin_import_to_the_same_entries() -> None:
    from_gar = load_gar(FIXTURE)
    from_csv = parse_gazetteer_csv(SAME_AS_CSV.splitlines())

    assert sorted(from_csv, key=lambda e: e.id) == sorted(from_gar, key=lambda e: e.id)


@pytest.mark.parametrize(
    ("typename", "street_type"),
    [
        ("ул", "улица"),
        ("пр-кт", "проспект"),
        ("пер", "переулок"),
        ("б-р", "бульвар"),
        ("ш", "шоссе"),
        ("пл", "площадь"),
        ("наб", "набережная"),
        ("мкр", "микрорайон"),
        ("проезд", "проезд"),
        ("пр-д", "проезд"),
        ("туп", "тупик"),
        ("кв-л", "квартал"),
        ("ул.", "улица"),
        ("пр", None),  # проспект or проезд: the register never writes it, a guess would be wrong
        ("снт", None),
    ],
)
def test_register_typenames_map_to_the_domains_street_types(
    typename: str, street_type: str | None
) -> None:
    assert canonical_street_type(typename) == street_type


@pytest.mark.parametrize(
    ("typename", "settlement_type"),
    [("г", "город"), ("с", "село"), ("д", "деревня"), ("п", "посёлок"), ("г.о.", None)],
)
def test_register_typenames_map_to_the_domains_settlement_types(
    typename: str, settlement_type: str | None
) -> None:
    assert canonical_settlement_type(typename) == settlement_type


def test_imported_streets_are_found_in_text() -> None:
    gazetteer = Gazetteer.build(load_gar(FIXTURE))

    (match,) = gazetteer.find("на Лежневской 182А течёт крыша")

    assert (match.oktmo, match.house, match.house_listed) == ("24701000", "182а", True)


def test_the_administrative_tree_places_objects_the_municipal_one_leaves_out(gar: Path) -> None:
    mun = the_file(gar, "AS_MUN_HIERARCHY")
    lines = mun.read_text("utf-8").splitlines(keepends=True)
    mun.write_text("".join(line for line in lines if 'OBJECTID="1112"' not in line), "utf-8")
    assert "Шереметевский" not in streets(load_gar(gar))

    (gar / "AS_ADM_HIERARCHY_20240101_5a000000-0000-4000-8000-000000000005.XML").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<ITEMS>\n'
        '  <ITEM ID="1" OBJECTID="1112" PARENTOBJID="1110" CHANGEID="1" REGIONCODE="37" '
        'ISACTIVE="1" />\n</ITEMS>\n',
        "utf-8",
    )

    assert streets(load_gar(gar))["Шереметевский"].oktmo == "24701000"


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE ITEMS [<!ENTITY lol "lol">]>\n',
        '<!-- a comment, <ITEMS> in it -->\n<!DOCTYPE ITEMS SYSTEM "file:///etc/passwd">\n',
        '<?xml-stylesheet href="x"?>\n<!ENTITY x "y">\n',
    ],
)
def test_a_dtd_is_refused_before_parsing(gar: Path, prolog: str) -> None:
    mun = the_file(gar, "AS_MUN_HIERARCHY")
    declaration, rest = mun.read_text("utf-8").split("\n", 1)
    mun.write_text(f"{declaration}\n{prolog}{rest}", "utf-8")

    with pytest.raises(GazetteerImportError, match="DTD") as refused:
        load_gar(gar)

    assert refused.value.source == mun.name
    assert refused.value.line == 1 + prolog.count("\n")  # the declaration, then the prolog


def test_malformed_xml_is_refused_with_the_file_and_line(gar: Path) -> None:
    houses = the_file(gar, "AS_HOUSES")
    lines = houses.read_text("utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(' HOUSENUM="2"', " HOUSENUM=2")
    houses.write_text("".join(lines), "utf-8")

    with pytest.raises(GazetteerImportError, match="malformed XML") as refused:
        load_gar(gar)

    assert (refused.value.source, refused.value.line) == (houses.name, 4)


def test_a_truncated_file_is_refused(gar: Path) -> None:
    obj = the_file(gar, "AS_ADDR_OBJ")
    obj.write_bytes(obj.read_bytes()[:-40])

    with pytest.raises(GazetteerImportError, match=f"{obj.name}:\\d+: malformed XML"):
        load_gar(gar)


def test_a_record_without_its_identifier_is_refused(gar: Path) -> None:
    obj = the_file(gar, "AS_ADDR_OBJ")
    obj.write_text(obj.read_text("utf-8").replace(' OBJECTID="1113"', ""), "utf-8")

    with pytest.raises(GazetteerImportError, match="OBJECT number 7 has no OBJECTID"):
        load_gar(gar)


def test_a_utf16_file_is_refused(gar: Path) -> None:
    obj = the_file(gar, "AS_ADDR_OBJ")
    obj.write_bytes(obj.read_text("utf-8").replace("utf-8", "utf-16").encode("utf-16"))

    with pytest.raises(GazetteerImportError, match="only UTF-8"):
        load_gar(gar)


def test_a_missing_hierarchy_is_refused(gar: Path) -> None:
    the_file(gar, "AS_MUN_HIERARCHY").unlink()

    with pytest.raises(GazetteerImportError, match=r"no AS_MUN_HIERARCHY_<date>_<id>\.XML file"):
        load_gar(gar)


def test_two_extracts_of_one_kind_are_refused(gar: Path) -> None:
    shutil.copy(the_file(gar, "AS_ADDR_OBJ"), gar / "AS_ADDR_OBJ_20240201_other.XML")

    with pytest.raises(GazetteerImportError, match="several AS_ADDR_OBJ files"):
        load_gar(gar)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GazetteerImportError, match="not a directory"):
        load_gar(tmp_path / "nowhere")
