"""Why an appeal went where it did, in the Russian an operator reads on the card.

The router keeps each assignment's explanation (domain.routing.Explanation) as data with
stable English identifiers; this turns it into sentences, naming bodies and territories by
their names in the directory the appeal was routed under.
"""

from collections.abc import Mapping
from typing import Any

from router.domain.directory import BodyKind, Directory

STEPS = {
    "rule": "правило маршрутизации «{rule}»",
    "named": "в тексте назван исполнитель",
    "house": "дом обслуживает управляющая организация",
    "territory": "ведомство, отвечающее за тему на территории",
    "triage": "на сортировку ЦУР",
}
MOVED = "Перенаправлено оператором (см. историю); ниже — первичная маршрутизация."
WHY = {
    "less specific": "компетенция или территория шире",
    "as good a candidate": "подходит так же — выбрать должен оператор",
    "named, as good a candidate": "назван в тексте, подходит так же — выбрать должен оператор",
    "inactive": "не действует",
}


def explain(
    explanation: Mapping[str, Any] | None, directory: Directory, *, moved: bool = False
) -> list[str]:
    """The explanation as lines of Russian; none for an assignment routed before they were kept.
    After an operator moved the appeal, the explanation is the first routing's, and says so."""
    if not explanation:
        return []
    step = str(explanation.get("step", ""))
    lines = [MOVED] if moved else []
    lines.append(f"Основание: {STEPS.get(step, step).format(rule=explanation.get('rule') or '')}.")
    places = [str(p) for p in explanation.get("places") or () if p]
    if places:
        lines.append("Названо в тексте: " + "; ".join(places) + ".")
    territory = explanation.get("territory")
    if territory:
        lines.append(f"Территория: {territory_name(str(territory), directory)}.")
    executor = explanation.get("executor")
    if executor:
        lines.append(f"Исполнитель (через курирующий орган): {_name(str(executor), directory)}.")
    for item in explanation.get("considered") or ():
        body, why = str(item.get("body_id", "")), str(item.get("why", ""))
        lines.append(f"Рассматривался: {_name(body, directory)} — {WHY.get(why, why)}.")
    return lines


def territory_name(oktmo: str, directory: Directory) -> str:
    """A territory by the name of the municipality or settlement that has that code."""
    if oktmo == directory.region.oktmo:
        return directory.region.name
    for body in directory.bodies:
        if body.kind is BodyKind.MUNICIPALITY and oktmo in body.territory:
            return f"{body.name.removeprefix('Администрация ')} (ОКТМО {oktmo})"
    return f"ОКТМО {oktmo}"


def _name(body_id: str, directory: Directory) -> str:
    body = directory.get(body_id)
    return body.name if body is not None else body_id
