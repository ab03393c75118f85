"""Do word embeddings help with words the training data never had? An A/B on the topic model.

    python tools/bench_embeddings.py [--held-out 0.3] [--seeds 1 2] [--json]

Real appeals use words the project's training texts do not (regional and officials' words,
new slang). To measure that here, a random share (`--held-out`) of the training vocabulary's
content lemmas is deleted from every training text, and the topic model is trained twice on
what is left, with the project's features alone and with the mean word embedding beside them
(the production parameters: `Params().c_topic`, `Params().embedding_weight`); both are scored
on the untouched evaluation sets, where the held-out words are now unseen. Also with nothing
held out, the gain or cost where the vocabulary is known. Figures: top-1 and top-3 accuracy,
the share below the 0.5 triage floor and the precision of the rest (uncalibrated: the same
for both arms). Takes about a minute and a half per seed on the development machine.
"""

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pymorphy3
import scipy.sparse as sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from classifier.adapters.dataset import data_files, read_examples
from classifier.adapters.navec_vectors import load_vectors
from classifier.domain.classify import APPEAL
from classifier.domain.embeddings import TextEmbedder
from classifier.domain.features import Lexicon, extract
from classifier.domain.text import Analysed, Lemmatiser
from classifier.training import Params

DATA = Path("services/classifier/data")
SETS = {"eval": DATA / "eval", "varied": DATA / "eval-varied"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--held-out", type=float, default=0.3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    lemmatiser = Lemmatiser(pymorphy3.MorphAnalyzer())
    bench = _Bench(lemmatiser, TextEmbedder(load_vectors()))
    rows = [bench.run(0.0, 0)] + [bench.run(args.held_out, seed) for seed in args.seeds]
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        sys.stdout.write(_table(rows))
    return 0


class _Bench:
    def __init__(self, lemmatiser: Lemmatiser, embedder: TextEmbedder) -> None:
        self.lexicon, self.embedder = Lexicon.build(lemmatiser), embedder
        self.train = _appeals(DATA / "train", lemmatiser)
        self.sets = {name: _appeals(path, lemmatiser) for name, path in SETS.items()}

    def run(self, share: float, seed: int) -> dict[str, Any]:
        texts, topics = self.train
        held = _held_out(texts, share, seed)
        kept = [_without(text, held) for text in texts]
        row: dict[str, Any] = {"held_out": share, "seed": seed, "words_held_out": len(held)}
        vectorizer = TfidfVectorizer(analyzer=lambda f: f, sublinear_tf=True, min_df=2)
        sparse_train = vectorizer.fit_transform([self._features(t) for t in kept])
        for arm, weight in (("lexical", 0.0), ("embeddings", Params().embedding_weight)):
            model = LogisticRegression(C=Params().c_topic, max_iter=3000, class_weight="balanced")
            model.fit(self._matrix(sparse_train, kept, weight), topics)
            for name, (eval_texts, truth) in self.sets.items():
                matrix = vectorizer.transform([self._features(t) for t in eval_texts])
                probabilities = model.predict_proba(self._matrix(matrix, eval_texts, weight))
                row[f"{arm}.{name}"] = _scores(probabilities, model.classes_, truth)
        return row

    def _features(self, text: Analysed) -> list[str]:
        return extract(text, self.lexicon.hits(text))

    def _matrix(self, matrix: Any, texts: list[Analysed], weight: float) -> Any:
        if not weight:
            return matrix
        dense = np.stack([self.embedder.embed(t) for t in texts])
        return sparse.hstack([matrix, weight * dense], format="csr")


def _appeals(path: Path, lemmatiser: Lemmatiser) -> tuple[list[Analysed], list[str]]:
    examples = [e for e in read_examples(data_files(path)) if e.category == APPEAL]
    return [lemmatiser.analyse(e.text) for e in examples], [e.topic for e in examples]


def _held_out(texts: list[Analysed], share: float, seed: int) -> set[str]:
    vocabulary = sorted({lemma for t in texts for lemma in t.lemmas if len(lemma) > 2})
    return set(random.Random(seed).sample(vocabulary, int(share * len(vocabulary))))


def _without(text: Analysed, held: set[str]) -> Analysed:
    kept = [(w, lemma) for w, lemma in zip(text.words, text.lemmas, strict=True)
            if lemma not in held]  # fmt: skip
    words = tuple(w for w, _ in kept)
    return Analysed(" ".join(words), " ".join(words), words, tuple(lemma for _, lemma in kept))


def _scores(probabilities: Any, classes: Any, truth: list[str]) -> dict[str, float]:
    best = classes[probabilities.argmax(axis=1)]
    right = best == np.array(truth)
    top3 = classes[np.argsort(-probabilities, axis=1)[:, :3]]
    routed = probabilities.max(axis=1) >= 0.5
    return {
        "top1": round(float(right.mean()), 3),
        "top3": round(float(np.mean([t in row for t, row in zip(truth, top3, strict=True)])), 3),
        "below_floor": round(float(1 - routed.mean()), 3),
        "precision_rest": round(float(right[routed].mean()), 3),
    }


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'held out':<10}{'seed':>5}  {'set':<7}{'arm':<12}"
             f"{'top-1':>7}{'top-3':>7}{'<0.5':>7}{'P rest':>8}"]  # fmt: skip
    for row in rows:
        for name in SETS:
            for arm in ("lexical", "embeddings"):
                s = row[f"{arm}.{name}"]
                lines.append(
                    f"{row['held_out']:<10.0%}{row['seed']:>5}  {name:<7}{arm:<12}"
                    f"{s['top1']:7.3f}{s['top3']:7.3f}{s['below_floor']:7.3f}"
                    f"{s['precision_rest']:8.3f}"
                )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
