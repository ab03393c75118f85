"""Training: a loadable, reproducible, versioned artifact; run-time sums equal to sklearn's."""

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from classifier.adapters.artifact import ModelArtifactMissing, load_models, read_manifest
from classifier.adapters.dataset import data_files, fingerprint, read_examples
from classifier.domain.classify import Models
from classifier.domain.linear import LinearModel, Vectoriser
from classifier.evaluate import main as evaluate_main
from classifier.train import main as train_main
from classifier.training import Params, model_version, precision_threshold

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "train"


def test_training_writes_a_loadable_artifact_with_its_version(model_file: Path) -> None:
    models = load_models(model_file)
    manifest = read_manifest(model_file)

    assert manifest is not None
    assert manifest["version"] == models.version
    assert models.version == model_version(fingerprint(data_files(FIXTURES)), Params())
    assert manifest["examples"] == len(read_examples(data_files(FIXTURES)))
    assert set(models.topic.classes) >= {"housing.heating", "roads.repair"}
    assert set(models.category.classes) == {"appeal", "gratitude", "chatter", "spam", "abuse"}
    assert models.urgency.classes == ("no", "yes")


def test_training_twice_gives_the_same_weights(model_file: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.npz"

    assert train_main(["--data", str(FIXTURES), "--out", str(again)]) == 0

    first, second = load_models(model_file), load_models(again)
    assert first.version == second.version
    assert first.vectoriser.names == second.vectoriser.names
    for name in ("category", "topic", "urgency"):
        a, b = getattr(first, name), getattr(second, name)
        assert np.array_equal(a.weights, b.weights), name
        assert a.temperature == b.temperature, name


def test_if_stale_keeps_a_current_artifact(model_file: Path) -> None:
    before = model_file.stat().st_mtime_ns

    assert train_main(["--data", str(FIXTURES), "--out", str(model_file), "--if-stale"]) == 0

    assert model_file.stat().st_mtime_ns == before


def test_changed_data_changes_the_version(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for path in data_files(FIXTURES):
        (data / path.name).write_bytes(path.read_bytes())
    extra = {"text": "нет света", "topic": "housing.electricity", "category": "appeal"}
    with (data / "housing.electricity.jsonl").open("w", encoding="utf-8") as f:
        f.write(json.dumps(extra, ensure_ascii=False) + "\n")

    assert model_version(fingerprint(data_files(data)), Params()) != model_version(
        fingerprint(data_files(FIXTURES)), Params()
    )


def test_no_data_is_an_error_not_an_empty_model(tmp_path: Path) -> None:
    assert train_main(["--data", str(tmp_path), "--out", str(tmp_path / "m.npz")]) == 1


def test_a_malformed_line_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"text": "нет воды", "topic": "housing.water"}\n{oops\n')

    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        read_examples(data_files(tmp_path))


def test_a_missing_artifact_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ModelArtifactMissing, match="make train"):
        load_models(tmp_path / "nowhere.npz")


def test_an_artifact_with_pickled_objects_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, manifest=np.array([{"version": "x"}], dtype=object))

    with pytest.raises(ModelArtifactMissing):
        load_models(path)


def test_run_time_probabilities_equal_scikit_learns() -> None:
    docs = [["w:a", "w:b", "w:b"], ["w:b", "w:c"], ["w:c", "w:d", "w:a"], ["w:d"], ["w:a", "w:d"]]
    labels = ["x", "y", "z", "y", "x"]
    vectorizer = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(docs)
    sk = LogisticRegression(C=10.0, max_iter=1000).fit(matrix, labels)
    vectoriser = Vectoriser(list(vectorizer.get_feature_names_out()), vectorizer.idf_)
    model = LinearModel(
        tuple(sk.classes_), sk.coef_.T.astype(np.float32), sk.intercept_.astype(np.float32)
    )

    for doc in [*docs, ["w:a", "w:unknown"]]:
        ours = model.probabilities(vectoriser.transform(doc))
        theirs = sk.predict_proba(vectorizer.transform([doc]))[0]
        assert np.allclose(ours, theirs, atol=1e-5), doc


def test_a_text_without_known_features_gets_the_prior(models: Models) -> None:
    vector = models.vectoriser.transform(["w:никогда-не-виданное"])

    probabilities = models.topic.probabilities(vector)

    assert len(vector.indices) == 0
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)


def test_the_benchmark_prints_every_figure(
    model_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--model", str(model_file), "--data", str(FIXTURES), "--rounds", "1", "--all-cores"]

    assert evaluate_main(args) == 0

    out = capsys.readouterr().out
    for figure in (
        "housing.heating",
        "topic macro-F1 (triage counts as a miss)",
        "share of appeals sent to triage",
        "appeal/non-appeal accuracy",
        "body-type accuracy (appeals)",
        "top-3 topic accuracy (the triage candidates)",
        "precision of the appeals routed (right topic)",
        "appeals/s",
    ):
        assert figure in out


def test_the_evaluation_reports_by_style_when_the_texts_say_how_they_are_written(
    model_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    styled = tmp_path / "eval"
    styled.mkdir()
    rows = [
        {"text": "батареи холодные в квартире", "topic": "housing.heating", "style": "comment"},
        {
            "text": "Прошу восстановить отопление в МКД",
            "topic": "housing.heating",
            "style": "form_letter",
        },
        {"text": "Яма на проезжей части", "topic": "roads.repair", "style": "portal_report"},
    ]
    lines = [
        json.dumps({**r, "category": "appeal", "urgent": False}, ensure_ascii=False) for r in rows
    ]
    (styled / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["--model", str(model_file), "--data", str(styled), "--rounds", "1", "--all-cores"]

    assert evaluate_main(args) == 0

    out = capsys.readouterr().out
    table = out[out.index("style ") :].splitlines()
    assert [line.split()[:2] for line in table[1:4]] == [
        ["comment", "1"],
        ["form_letter", "1"],
        ["portal_report", "1"],
    ]


def test_the_threshold_is_the_least_confidence_that_keeps_the_target_precision() -> None:
    top = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    right = np.array([True, True, True, True, False, True, False])
    # Down to 0.7 all four are right; with 0.6 it is 4/5; with 0.5, 5/6; with 0.4, 5/7.
    assert precision_threshold(top, right, 0.9) == 0.7
    assert precision_threshold(top, right, 0.8) == 0.5
    assert precision_threshold(top, right, 0.7) == 0.4
    assert precision_threshold(top[::-1], right[::-1], 0.9) == 0.7  # order does not matter
    assert precision_threshold(top, np.zeros(7, dtype=bool), 0.9) == 1.0  # never right enough


def test_the_topic_models_threshold_is_fitted_and_kept_in_the_artifact(model_file: Path) -> None:
    topic = load_models(model_file).topic
    assert 0.0 < topic.threshold <= 1.0
