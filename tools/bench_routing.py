"""How many appeals reach their final executor without a person, and how many of those rightly.

    python tools/bench_routing.py [--data services/router/data/routing-eval]
                                  [--directory config/directory.yaml]
                                  [--gazetteer config/gazetteer.csv] [--errors N] [--json]

Each line of the labelled routing set (`*.jsonl`: text, the page it was posted on, the body that
should get it or "triage", the kind of case) is classified by the trained classifier, as the
service does, and routed by the router's rules against the directory and the gazetteer. Figures:
the share routed automatically (not to triage), the precision of those (the right body), the
accuracy overall (triage counts as right where the label says triage), per kind of case.
A tool, not a service: it may use the classifier and the router's domain together.
"""

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymorphy3

from classifier.adapters.artifact import load_models
from classifier.adapters.navec_vectors import classifier_for
from classifier.domain.classify import triage_threshold
from classifier.domain.text import Lemmatiser
from classifier.settings import DEFAULT_MODEL_FILE
from router.adapters.directory_file import load_directory
from router.adapters.gazetteer_csv import load_gazetteer_csv
from router.adapters.rules_file import load_rules
from router.domain.gazetteer import Gazetteer
from router.domain.routing import Appeal, DefaultRouting
from router.domain.rules import RuleRouting

TRIAGE = "triage"


@dataclass(frozen=True)
class Case:
    text: str
    page: str
    expected: str
    case: str


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    cases = _read(args.data)
    directory = load_directory(args.directory)
    gazetteer = Gazetteer.build(load_gazetteer_csv(args.gazetteer))
    rules = load_rules(args.rules, directory=directory, gazetteer=gazetteer)
    routing = RuleRouting(DefaultRouting(directory, gazetteer), rules)
    models = load_models(args.model)
    lemmatiser = Lemmatiser(pymorphy3.MorphAnalyzer())
    classifier = classifier_for(models, lemmatiser, min_confidence=triage_threshold(models))
    outcomes: list[tuple[Case, str, str]] = []
    for case in cases:
        classification = classifier.classify(case.text)
        appeal = Appeal(classification, case.text, directory.page_owner(case.page), case.page)
        routed = routing.route(appeal, min_confidence=0.0)
        got = (
            TRIAGE
            if routed is None or routed.agency.id == directory.triage_agency_id
            else (routed.agency.id)
        )
        outcomes.append((case, got, routed.reason if routed else "not an appeal"))
    report = _figures(outcomes)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_table(report, models.version, len(cases)))
        for case, got, reason in [o for o in outcomes if o[1] != o[0].expected][: args.errors]:
            sys.stdout.write(f"  {case.case:<18} want {case.expected:<28} got {got:<28} {reason}\n")
    return 0


def _read(directory: Path) -> list[Case]:
    cases = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    item = json.loads(line)
                    cases.append(Case(item["text"], item["page"], item["expected"], item["case"]))
                except (ValueError, KeyError) as exc:
                    raise SystemExit(f"{path}:{number}: {exc}") from exc
    return cases


def _figures(outcomes: list[tuple[Case, str, str]]) -> dict[str, Any]:
    groups: dict[str, list[tuple[Case, str, str]]] = defaultdict(list)
    for outcome in outcomes:
        groups["all"].append(outcome)
        groups[outcome[0].case].append(outcome)
    return {name: _scores(items) for name, items in sorted(groups.items())}


def _scores(items: list[tuple[Case, str, str]]) -> dict[str, float | int]:
    automatic = [(c, got) for c, got, _ in items if got != TRIAGE]
    right = sum(1 for c, got in automatic if got == c.expected)
    return {
        "appeals": len(items),
        "automatic": round(len(automatic) / len(items), 3),
        "precision": round(right / len(automatic), 3) if automatic else 0.0,
        "accuracy": round(sum(1 for c, got, _ in items if got == c.expected) / len(items), 3),
        "expected_triage": sum(1 for c, _, _ in items if c.expected == TRIAGE),
    }


def _table(report: dict[str, Any], version: str, count: int) -> str:
    lines = [f"classifier {version}; {count} labelled appeals", "",
             f"{'case':<20}{'n':>5}{'automatic':>11}{'precision':>11}{'accuracy':>10}"
             f"{'want triage':>13}"]  # fmt: skip
    for name, s in report.items():
        lines.append(f"{name:<20}{s['appeals']:5d}{s['automatic']:11.3f}{s['precision']:11.3f}"
                     f"{s['accuracy']:10.3f}{s['expected_triage']:13d}")  # fmt: skip
    return "\n".join(lines) + "\n\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("services/router/data/routing-eval"))
    parser.add_argument("--directory", type=Path, default=Path("config/directory.yaml"))
    parser.add_argument("--gazetteer", type=Path, default=Path("config/gazetteer.csv"))
    parser.add_argument("--rules", type=Path, default=Path("config/routing-rules.yaml"))
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_FILE)
    parser.add_argument("--errors", type=int, default=0, help="print the first N misroutes")
    parser.add_argument("--json", action="store_true")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
