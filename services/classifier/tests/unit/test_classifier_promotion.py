"""Retraining with promotion only when no worse, and the rollback that undoes it."""

import shutil
from pathlib import Path

import pytest

from classifier.adapters.artifact import load_models
from classifier.promotion import KEPT, main, should_promote
from classifier.train import main as train_main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "train"


def test_a_candidate_is_promoted_only_when_no_worse_on_every_set() -> None:
    current = {"eval": 0.90, "varied": 0.80}
    assert should_promote({"eval": 0.90, "varied": 0.80}, current)  # a tie: newer data wins
    assert should_promote({"eval": 0.95, "varied": 0.81}, current)
    assert not should_promote({"eval": 0.99, "varied": 0.79}, current)  # worse on one set


def test_retraining_promotes_keeps_the_previous_and_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The current model learnt from less data than the candidate will: another version.
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    for path in sorted(FIXTURES.glob("*.jsonl"))[1:]:
        shutil.copy2(path, fewer / path.name)
    model = tmp_path / "classifier.npz"
    assert train_main(["--data", str(fewer), "--out", str(model)]) == 0
    before = load_models(model).version
    scores = iter([0.9, 0.8])  # the candidate first, then the current model
    monkeypatch.setattr("classifier.promotion.topic_macro_f1", lambda *_: next(scores))
    args = ["--model", str(model), "--data", str(FIXTURES), "--eval", str(FIXTURES)]

    assert main(args) == 0
    promoted = load_models(model).version
    assert promoted != before
    assert load_models(tmp_path / "previous.npz").version == before

    assert main(["--model", str(model), "--rollback"]) == 0
    assert load_models(model).version == before
    assert main(["--model", str(model), "--rollback"]) == 1  # nothing left to roll back to


def test_a_worse_candidate_leaves_the_model_as_it_was(
    model_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "classifier.npz"
    shutil.copy2(model_file, model)
    before = model.read_bytes()
    scores = iter([0.5, 0.9])  # the candidate is scored first, then the current model
    monkeypatch.setattr("classifier.promotion.topic_macro_f1", lambda *_: next(scores))
    args = ["--model", str(model), "--data", str(FIXTURES), "--eval", str(FIXTURES)]

    assert main(args) == KEPT
    assert model.read_bytes() == before
    assert not (tmp_path / "previous.npz").exists()


def test_a_release_seeds_the_model_volume_once(model_file: Path, tmp_path: Path) -> None:
    volume = tmp_path / "models" / "classifier.npz"
    release = load_models(model_file).version

    assert main(["--model", str(volume), "--seed", str(model_file)]) == 0
    assert load_models(volume).version == release
    volume.write_bytes(b"a retrained model the volume must keep")
    assert main(["--model", str(volume), "--seed", str(model_file)]) == 0  # seeded already
    assert volume.read_bytes() == b"a retrained model the volume must keep"

    (volume.parent / "seeded-from").write_text("clf-an-older-release")
    assert main(["--model", str(volume), "--seed", str(model_file)]) == 0  # a new release
    assert load_models(volume).version == release


def test_an_unreadable_release_model_seeds_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "release.npz"
    broken.write_bytes(b"not a model")

    assert main(["--model", str(tmp_path / "classifier.npz"), "--seed", str(broken)]) == 1
    assert not (tmp_path / "classifier.npz").exists()
