"""The trained models at run time: a TF-IDF vector and linear scores turned into probabilities.

Training uses scikit-learn (TfidfVectorizer with sublinear tf, LogisticRegression); at run time
the same arithmetic on one sparse vector in numpy is several times faster than going through
scikit-learn per appeal, and the artifact stays plain arrays. A unit test keeps the two equal.
"""

from collections.abc import Sequence
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
        known = [i for i in map(self._index.get, features) if i is not None]
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

    def probabilities(self, vector: SparseVector) -> Floats:
        """The probability of each class, in the order of `classes`."""
        scores = vector.values @ self.weights[vector.indices] + self.bias
        scores = scores / np.float32(self.temperature)
        exp = np.exp(scores - scores.max())
        probabilities: Floats = exp / exp.sum()
        return probabilities

    def strongest(self, vector: SparseVector, class_index: int, count: int = 3) -> list[int]:
        """The features that pushed hardest towards one class, strongest first."""
        contributions = vector.values * self.weights[vector.indices, class_index]
        order = np.argsort(-contributions)[:count]
        return [int(vector.indices[i]) for i in order if contributions[i] > 0]
