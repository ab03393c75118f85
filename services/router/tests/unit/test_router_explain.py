"""The card's "why here", in Russian, from the explanation kept with an assignment."""

from pathlib import Path

from router.adapters.directory_file import load_directory
from router.console.explain import explain, territory_name

DIRECTORY = load_directory(Path(__file__).resolve().parents[4] / "config" / "directory.yaml")


def test_each_part_of_an_explanation_is_a_sentence() -> None:
    lines = explain(
        {
            "step": "rule",
            "rule": "urgent-gas-direct@v1",
            "places": ["Лежневской 120"],
            "territory": "24701000",
            "executor": "ivanovo-uk-tekstilshchik",
            "considered": [{"body_id": "ivanovo-zhkh", "why": "less specific"}],
        },
        DIRECTORY,
    )

    assert lines[0] == "Основание: правило маршрутизации «urgent-gas-direct@v1»."
    assert lines[1] == "Названо в тексте: Лежневской 120."
    assert "Иванов" in lines[2] and "24701000" in lines[2]
    assert lines[3].startswith("Исполнитель (через курирующий орган): ")
    assert "Текстильщик" in lines[3]
    assert lines[4].endswith("компетенция или территория шире.")


def test_no_explanation_says_nothing_and_unknown_words_pass_through() -> None:
    assert explain(None, DIRECTORY) == []
    assert explain({"step": "новый-шаг"}, DIRECTORY) == ["Основание: новый-шаг."]


def test_territories_are_named_by_their_municipality_or_the_region() -> None:
    assert territory_name("24000000", DIRECTORY) == "Ивановская область"
    assert "Кинешм" in territory_name("24705000", DIRECTORY)
    assert territory_name("99999999", DIRECTORY) == "ОКТМО 99999999"


def test_after_an_operator_moved_it_the_first_routing_is_labelled_as_such() -> None:
    lines = explain({"step": "triage"}, DIRECTORY, moved=True)

    assert lines[0].startswith("Перенаправлено оператором")
    assert lines[1] == "Основание: на сортировку ЦУР."
