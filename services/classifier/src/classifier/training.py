"""Training: labelled texts in, the three linear models out, reproducibly.

Deterministic by construction: files are read in a sorted order, the solver (lbfgs) has no
randomness and cross-validation folds use a fixed seed, so the same data and parameters give
the same weights and the same version (`clf-<series>-<hash of data and parameters>`).
Each model's probabilities are calibrated by one temperature fitted on cross-validated scores,
so a confidence of 0.6 means right about six times in ten and the triage threshold means what
it says.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier.domain.classify import APPEAL, CATEGORIES, Models
from classifier.domain.embeddings import TextEmbedder
from classifier.domain.features import FEATURES_VERSION, Lexicon, extract
from classifier.domain.linear import LinearModel, Vectoriser
from classifier.domain.rubricator import TOPICS, UNPLACED
from classifier.domain.text import Lemmatiser

SERIES = "2026.11"
ARTIFACT_FORMAT = 4  # bump when what the artifact holds changes: an old one is then stale
_TEMPERATURES = np.geomspace(0.25, 4.0, 41)


@dataclass(frozen=True)
class Example:
    text: str
    topic: str  # a rubricator topic id, or "not_appeal"
    category: str  # one of CATEGORIES
    urgent: bool | None  # None: unknown (operators' corrections)
    style: str | None = None  # how it is written (data/WRITING.md); the evaluation reports by it


@dataclass(frozen=True)
class Params:
    min_df: int = 2
    c_category: float = 10.0
    c_topic: float = 20.0
    c_urgency: float = 5.0
    folds: int = 5
    seed: int = 20261123
    # What is routed without a person must be right this often (issue 15): the topic model's
    # threshold is the least confidence that keeps cross-validated precision there.
    target_precision: float = 0.90
    # How much the mean word embedding weighs beside the unit TF-IDF vector; 0 trains without
    # embeddings. 1 won the A/B in docs/classifier.md (2 overfitted the embedding).
    embedding_weight: float = 1.0


def model_version(data_fingerprint: str, params: Params) -> str:
    """The version a training run on this data with these parameters produces."""
    digest = hashlib.sha256(data_fingerprint.encode())
    settings = {**asdict(params), "features": FEATURES_VERSION, "format": ARTIFACT_FORMAT}
    digest.update(json.dumps(settings).encode())
    digest.update(repr(TOPICS).encode())  # keywords are features
    return f"clf-{SERIES}-{digest.hexdigest()[:8]}"


def train(
    examples: list[Example],
    lemmatiser: Lemmatiser,
    params: Params,
    version: str,
    embedder: TextEmbedder | None = None,
) -> Models:
    """Fit the vocabulary and the category, topic and urgency models (with the embeddings'
    dense features when an embedder is given and `params.embedding_weight` is not 0)."""
    _check(examples)
    lexicon = Lexicon.build(lemmatiser)
    analysed = [lemmatiser.analyse(example.text) for example in examples]
    features = [extract(text, lexicon.hits(text)) for text in analysed]
    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=params.min_df, dtype=np.float32
    )
    matrix = vectorizer.fit_transform(features)
    embedded = embedder is not None and params.embedding_weight > 0
    if embedder is not None and embedded:
        dense = np.stack([embedder.embed(text) for text in analysed])
        matrix = sparse.hstack([matrix, params.embedding_weight * dense], format="csr")
    sparse_width = len(vectorizer.idf_)
    appeals = np.array([e.category == APPEAL for e in examples])
    known_urgency = np.array([e.urgent is not None for e in examples])
    models = Models(
        version=version,
        vectoriser=Vectoriser(list(vectorizer.get_feature_names_out()), vectorizer.idf_),
        category=_fit(matrix, [e.category for e in examples], params.c_category, params),
        topic=_fit(matrix[appeals], [e.topic for e in examples if e.category == APPEAL],
                   params.c_topic, params),
        urgency=_fit(matrix[appeals & known_urgency], ["yes" if e.urgent else "no" for e in
                                                       examples if e.category == APPEAL and
                                                       e.urgent is not None],
                     params.c_urgency, params, classes=("no", "yes")),
        lemmas=lemmatiser.known(),
        embeddings=embedder.name if embedder is not None and embedded else None,
    )  # fmt: skip
    return _split_dense(models, sparse_width, params.embedding_weight if embedded else 0.0)


def _split_dense(models: Models, width: int, weight: float) -> Models:
    """Each model's weights over the sparse columns, and over the dense ones scaled back, so
    that at run time the raw mean embedding is multiplied as it is."""
    if not weight:
        return models

    def split(model: LinearModel) -> LinearModel:
        sparse_part, dense_part = model.weights[:width], model.weights[width:] * weight
        return replace(model, weights=np.ascontiguousarray(sparse_part),
                       dense_weights=np.ascontiguousarray(dense_part))  # fmt: skip

    return replace(models, category=split(models.category), topic=split(models.topic),
                   urgency=split(models.urgency))  # fmt: skip


def _fit(
    matrix: Any, labels: list[str], c: float, params: Params, classes: tuple[str, ...] = ()
) -> LinearModel:
    present = sorted(set(labels))
    if len(present) == 1:  # nothing to learn: always that class (small fixture sets)
        order = classes or tuple(present)
        bias = np.where(np.array(order) == present[0], 10.0, 0.0).astype(np.float32)
        return LinearModel(order, np.zeros((matrix.shape[1], len(order)), np.float32), bias)
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(matrix, labels)
    weights, bias = model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)
    if len(model.classes_) == 2:  # scikit-learn keeps one column for two classes: softmax([0, z])
        weights = np.hstack([np.zeros_like(weights), weights])
        bias = np.array([0.0, bias[0]], np.float32)
    classes_out = tuple(str(c) for c in model.classes_)
    temperature, threshold = _calibrate(matrix, labels, c, params)
    return LinearModel(classes_out, weights, bias, temperature, threshold)


def _calibrate(matrix: Any, labels: list[str], c: float, params: Params) -> tuple[float, float]:
    """The temperature that makes cross-validated probabilities fit best (least log loss), and
    the threshold those probabilities need for the target precision."""
    smallest = min(labels.count(label) for label in set(labels))
    folds = min(params.folds, smallest)
    if folds < 2:
        return 1.0, 0.0
    splitter = StratifiedKFold(folds, shuffle=True, random_state=params.seed)
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    scores = cross_val_predict(model, matrix, labels, cv=splitter, method="decision_function")
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([np.zeros_like(scores), scores])
    truth = np.searchsorted(np.array(sorted(set(labels))), np.array(labels))
    losses = [_log_loss(scores / t, truth) for t in _TEMPERATURES]
    temperature = float(_TEMPERATURES[int(np.argmin(losses))])
    probabilities = _softmax(scores / temperature)
    top, right = probabilities.max(axis=1), probabilities.argmax(axis=1) == truth
    return temperature, precision_threshold(top, right, params.target_precision)


def precision_threshold(top: Any, right: Any, target: float) -> float:
    """The least confidence `t` such that the decisions with confidence >= t are right at least
    `target` of the time (the largest set that still meets it); 1.0 when none does."""
    order = np.argsort(-np.asarray(top, dtype=np.float64))
    ranked_top = np.asarray(top, dtype=np.float64)[order]
    precision = np.cumsum(np.asarray(right, dtype=np.float64)[order]) / np.arange(1, len(order) + 1)
    meets = np.nonzero(precision >= target)[0]
    if len(meets) == 0:
        return 1.0
    return float(ranked_top[meets[-1]])


def _softmax(scores: Any) -> Any:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _log_loss(scores: Any, truth: Any) -> float:
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probabilities[np.arange(len(truth)), truth].mean())


def _check(examples: list[Example]) -> None:
    known = {t.id for t in TOPICS} | {UNPLACED.id}  # "other": vague, or outside the rubricator
    for example in examples:
        if example.category not in CATEGORIES:
            raise ValueError(f"unknown category {example.category!r}: {example.text[:60]!r}")
        if example.category == APPEAL and example.topic not in known:
            raise ValueError(f"unknown topic {example.topic!r}: {example.text[:60]!r}")
    if not any(e.category == APPEAL for e in examples):
        raise ValueError("no appeals to learn topics from")


def _identity(features: list[str]) -> list[str]:
    return features
