"""Operators' corrections become training lines, merged one per appeal, and train a model."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from appeals_common.events import ClassificationCorrected
from classifier.adapters.artifact import load_models
from classifier.adapters.dataset import data_files, read_examples
from classifier.domain.corrections import as_training_line, merge_lines
from classifier.train import main as train_main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "train"
APPEAL = uuid.UUID("00000000-0000-4000-8000-0000000000c1")
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _corrected(before: str, after: str, at: datetime = AT) -> ClassificationCorrected:
    return ClassificationCorrected(
        appeal_id=APPEAL,
        text="во дворе после ремонта теплотрассы осталась яма",
        topic_before=before,
        topic_after=after,
        agency_before="ivanovo-zhkh",
        agency_after="ivanovo-roads",
        corrected_at=at,
    )


def test_a_topic_correction_is_a_training_line_with_unknown_urgency() -> None:
    line = as_training_line(_corrected("housing.heating", "roads.repair"))

    assert line == {
        "text": "во дворе после ремонта теплотрассы осталась яма",
        "topic": "roads.repair",
        "category": "appeal",
        "urgent": None,
        "appeal_id": str(APPEAL),
        "topic_before": "housing.heating",
        "corrected_at": AT.isoformat(),
    }


def test_a_triaged_appeal_given_its_topic_is_a_training_line() -> None:
    assert as_training_line(_corrected("other", "roads.repair")) is not None


def test_corrections_without_a_new_topic_teach_nothing() -> None:
    assert as_training_line(_corrected("roads.repair", "roads.repair")) is None
    assert as_training_line(_corrected("roads.repair", "other")) is None


def test_merging_keeps_one_line_per_appeal_the_latest_winning() -> None:
    first = as_training_line(_corrected("housing.heating", "roads.repair"))
    later = as_training_line(_corrected("housing.heating", "improvement.yards", AT + timedelta(1)))
    reviewed = {"text": "добавлено вручную", "topic": "ecology", "category": "appeal"}
    assert first is not None and later is not None

    merged, changed = merge_lines([reviewed, first], [later, first])

    assert merged == [reviewed, later]
    assert changed == 1


def test_merging_the_same_corrections_again_changes_nothing() -> None:
    line = as_training_line(_corrected("housing.heating", "roads.repair"))
    assert line is not None

    merged, changed = merge_lines([line], [line])

    assert (merged, changed) == ([line], 0)


def test_training_takes_corrections_beside_the_training_set(tmp_path: Path) -> None:
    corrections = tmp_path / "corrections"
    corrections.mkdir()
    line = as_training_line(_corrected("housing.heating", "roads.repair"))
    (corrections / "operators.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n")
    out = tmp_path / "model.npz"

    assert train_main(["--data", str(FIXTURES), str(corrections), "--out", str(out)]) == 0

    [example] = read_examples(data_files(corrections))
    assert example.urgent is None
    assert load_models(out).urgency.classes == ("no", "yes")
