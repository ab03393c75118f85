"""The trained models at run time: a TF-IDF vector and linear scores turned into probabilities.

Training uses scikit-learn (TfidfVectorizer with sublinear tf, LogisticRegression); at run time
the same arithmetic on one sparse vector in numpy is several times faster than going through
scikit-learn per appeal, and the artifact stays plain arrays. A unit test keeps the two equal.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]
Indices = npt.NDArray[np.intp]


@dataclass(frozen=True)
class SparseVector:
    indices: Indices
    values: Floats


class Vectoriser:
    """Feature names to an l2-normalised TF-IDF vector (sublinear tf), as scikit-learn does."""

    def __init__(self, names: Sequence[str], idf: Floats) -> None:
        self.names = tuple(names)
        self.idf = idf
        self._index = {name: i for i, name in enumerate(self.names)}

    def transform(self, features: Sequence[str]) -> SparseVector:
        """Count the known features, weigh them and normalise; unknown features are ignored."""
        return self.weigh(self.known(features))

    def known(self, features: Iterable[str]) -> list[int]:
        """The indices of the features in the vocabulary; unknown features are dropped."""
        return [i for i in map(self._index.get, features) if i is not None]

    def weigh(self, known: list[int]) -> SparseVector:
        """Feature indices, repeated as they occur, as a weighted, normalised vector."""
        if not known:
            return SparseVector(np.empty(0, np.intp), np.empty(0, np.float32))
        indices, counts = np.unique(np.asarray(known, dtype=np.intp), return_counts=True)
        values = ((1.0 + np.log(counts)) * self.idf[indices]).astype(np.float32)
        return SparseVector(indices, values / np.float32(np.linalg.norm(values)))


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic scores over classes, softened by a fitted temperature."""

    classes: tuple[str, ...]
    weights: Floats  # (features, classes)
    bias: Floats  # (classes,)
    temperature: float = 1.0
    # The least top probability at which the model's choice was right at least the target
    # share of the time in cross-validation: below it, a person should decide (triage).
    threshold: float = 0.0
    # (dimensions, classes) over a dense feature vector (word embeddings), when trained with one
    dense_weights: Floats | None = None

    def probabilities(self, vector: SparseVector, dense: Floats | None = None) -> Floats:
        """The probability of each class, in the order of `classes`."""
        scores = vector.values @ self.weights[vector.indices] + self.bias
        if self.dense_weights is not None and dense is not None:
            scores += dense @ self.dense_weights
        return self.softmax(scores)

    def softmax(self, scores: Floats) -> Floats:
        """Raw scores to probabilities, softened by the temperature."""
        scores = scores / np.float32(self.temperature)
        exp = np.exp(scores - scores.max())
        probabilities: Floats = exp / exp.sum()
        return probabilities

    def strongest(self, vector: SparseVector, class_index: int, count: int = 3) -> list[int]:
        """The features that pushed hardest towards one class, strongest first."""
        contributions = vector.values * self.weights[vector.indices, class_index]
        if len(contributions) > count:  # the top few without sorting them all
            top = np.argpartition(-contributions, count)[:count]
            order = top[np.argsort(-contributions[top])]
        else:
            order = np.argsort(-contributions)
        return [int(vector.indices[i]) for i in order if contributions[i] > 0]


class StackedModels:
    """Linear models over the same vector, scored together: one gather of the vector's rows
    and one product instead of one per model (the gather is most of the cost)."""

    def __init__(self, models: Sequence[LinearModel]) -> None:
        self.models = tuple(models)
        self._weights = np.ascontiguousarray(np.hstack([m.weights for m in self.models]))
        self._bias = np.concatenate([m.bias for m in self.models])
        self._bounds = np.cumsum([0, *(len(m.classes) for m in self.models)])
        dense = [m.dense_weights for m in self.models]
        self._dense = None if any(d is None for d in dense) else np.hstack(dense)  # type: ignore[arg-type]

    def probabilities(self, vector: SparseVector, dense: Floats | None = None) -> list[Floats]:
        """Each model's class probabilities, in the order the models were given."""
        scores = vector.values @ self._weights[vector.indices] + self._bias
        if self._dense is not None and dense is not None:
            scores += dense @ self._dense
        return [
            model.softmax(scores[start:end])
            for model, start, end in zip(self.models, self._bounds, self._bounds[1:], strict=False)
        ]
