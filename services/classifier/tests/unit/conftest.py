"""A model trained on the tiny fixture set (tests/fixtures/train), once per session.

The fixture set holds a few texts for six topics and each kind of non-appeal: enough to test
the decisions, rules and plumbing, not the quality (that is `make bench-classifier`).
"""

from pathlib import Path

import pymorphy3
import pytest

from classifier.adapters.artifact import load_models
from classifier.adapters.navec_vectors import classifier_for
from classifier.domain.classify import AppealClassifier, Models
from classifier.domain.text import Lemmatiser
from classifier.train import main as train_main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "train"
MIN_CONFIDENCE = 0.5  # fixed for these tests (the service takes the model's own threshold)


@pytest.fixture(scope="session")
def lemmatiser() -> Lemmatiser:
    return Lemmatiser(pymorphy3.MorphAnalyzer())


@pytest.fixture(scope="session")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "classifier.npz"
    assert train_main(["--data", str(FIXTURES), "--out", str(path)]) == 0
    return path


@pytest.fixture(scope="session")
def models(model_file: Path) -> Models:
    return load_models(model_file)


@pytest.fixture(scope="session")
def classifier(models: Models, lemmatiser: Lemmatiser) -> AppealClassifier:
    return classifier_for(models, lemmatiser, min_confidence=MIN_CONFIDENCE)
