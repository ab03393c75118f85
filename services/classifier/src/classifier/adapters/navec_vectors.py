"""navec's Russian word embeddings, read from the natasha wheel that ships them.

natasha's wheel carries `navec_news_v1_1B_250K_300d_100q.tar` (250,000 words of news, 300
dimensions, product-quantised to 25 MB), so the table is installed by the package manager like
any dependency and nothing is downloaded at run time (closed networks). natasha itself is never
imported: only its data file is read, found without running the package.
"""

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
from navec import Navec

from classifier.domain.classify import AppealClassifier, Models
from classifier.domain.embeddings import TextEmbedder
from classifier.domain.linear import Floats
from classifier.domain.text import Lemmatiser

NAVEC_NEWS = "navec_news_v1_1B_250K_300d_100q"


class EmbeddingsMissing(Exception):
    """The table a model was trained with is not installed."""


class NavecVectors:
    """The WordVectors port over a navec table."""

    dimensions = 300

    def __init__(self, navec: Navec, name: str) -> None:
        self._navec = navec
        self.name = name

    def get(self, word: str) -> Floats | None:
        """The word's vector, or None when the table does not have it."""
        vector = self._navec.get(word)
        return None if vector is None else np.asarray(vector, dtype=np.float32)


@lru_cache(maxsize=2)
def load_vectors(name: str = NAVEC_NEWS) -> NavecVectors:
    """The named table, loaded once per process (about a second and 30 MB)."""
    path = _natasha_data() / "emb" / f"{name}.tar"
    if not path.is_file():
        raise EmbeddingsMissing(f"word embeddings {name} not found at {path}: install natasha")
    return NavecVectors(Navec.load(str(path)), name)


def _natasha_data() -> Path:
    spec = importlib.util.find_spec("natasha")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingsMissing("the natasha package (which ships the embeddings) is missing")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def embedder_for(models: Models) -> TextEmbedder | None:
    """The embedder a loaded model needs (None for a model trained without embeddings)."""
    return TextEmbedder(load_vectors(models.embeddings)) if models.embeddings else None


def classifier_for(
    models: Models, lemmatiser: Lemmatiser, *, min_confidence: float
) -> AppealClassifier:
    """A classifier over loaded models, with the embeddings they were trained with."""
    return AppealClassifier(
        models, lemmatiser, min_confidence=min_confidence, embedder=embedder_for(models)
    )
