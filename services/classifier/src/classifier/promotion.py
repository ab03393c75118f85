"""Retraining without a person in the loop, and its undo.

    python -m classifier.promotion             # retrain; promote only if no worse
    python -m classifier.promotion --rollback  # put the previous model back
    python -m classifier.promotion --seed IMAGE_MODEL   # a new release's model, once

A candidate is trained from the training set and the operators' corrections into
`candidate.npz` beside the model; it replaces the model only if its topic macro-F1 (an appeal
sent to triage counts as a miss) is at least the current model's on every evaluation set. The
replaced model is kept as `previous.npz` for `--rollback`. Run it on a schedule (cron, a
Kubernetes CronJob on the model's volume); every replica notices the new file within a minute
and swaps it in (classifier.model_watch). `--seed` puts a release's own model (trained on the
repository's data in the image) on the volume when the volume has none or was seeded from an
older release; the next retraining adds the operators' corrections again. Exit codes: 0
promoted (rolled back, seeded or seeded already), 3 kept the current model, 1 nothing to do
(no model to roll back to, no release model to seed from).
"""

import argparse
import logging
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

import pymorphy3
from sklearn.metrics import f1_score

from classifier.adapters.artifact import load_models, read_manifest
from classifier.adapters.dataset import data_files, read_examples
from classifier.adapters.navec_vectors import classifier_for
from classifier.domain.classify import APPEAL, Models, triage_threshold
from classifier.domain.text import Lemmatiser
from classifier.evaluate import EVAL_DIR
from classifier.settings import DEFAULT_MODEL_FILE
from classifier.train import CORRECTIONS_DIR, TRAIN_DIR
from classifier.train import main as train_main
from classifier.training import Example

VARIED_EVAL_DIR = Path("services/classifier/data/eval-varied")
KEPT = 3
log = logging.getLogger("classifier.promotion")


def topic_macro_f1(models: Models, lemmatiser: Lemmatiser, examples: list[Example]) -> float:
    """Topic macro-F1 over the appeals, with the model's own triage threshold."""
    classifier = classifier_for(models, lemmatiser, min_confidence=triage_threshold(models))
    appeals = [e for e in examples if e.category == APPEAL]
    truth = [e.topic for e in appeals]
    predicted = [classifier.classify(e.text).topic for e in appeals]
    labels = sorted(set(truth))
    return float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0))


def should_promote(candidate: Mapping[str, float], current: Mapping[str, float]) -> bool:
    """No worse on any evaluation set (ties promote: the newer data is the operators')."""
    return all(candidate[name] >= current[name] for name in current)


def retrain(model: Path, data: list[Path], evaluations: list[Path]) -> int:
    candidate, previous = model.with_name("candidate.npz"), model.with_name("previous.npz")
    if train_main(["--data", *map(str, data), "--out", str(candidate)]) != 0:
        return 1
    if not model.exists():
        os.replace(candidate, model)
        log.info("no current model: the candidate is the model")
        return 0
    lemmatiser = Lemmatiser(pymorphy3.MorphAnalyzer())
    sets = {str(d): read_examples(data_files(d)) for d in evaluations if data_files(d)}
    scores = {
        who: {name: topic_macro_f1(load_models(path), lemmatiser, ex) for name, ex in sets.items()}
        for who, path in (("candidate", candidate), ("current", model))
    }
    for name in sets:
        log.info("%s: candidate %.4f, current %.4f", name, *(scores[w][name] for w in scores))
    if not should_promote(scores["candidate"], scores["current"]):
        log.info("kept the current model %s", load_models(model).version)
        return KEPT
    shutil.copy2(model, previous)
    os.replace(candidate, model)  # atomic: a starting service reads one or the other
    log.info("promoted %s; the previous model is kept for --rollback", load_models(model).version)
    return 0


def rollback(model: Path) -> int:
    previous = model.with_name("previous.npz")
    if not previous.exists():
        log.error("no previous model beside %s to roll back to", model)
        return 1
    os.replace(previous, model)
    log.info("rolled back to %s", load_models(model).version)
    return 0


def seed(model: Path, release: Path) -> int:
    """Copy the release's model to `model` unless the volume was already seeded from it."""
    manifest = read_manifest(release)
    if manifest is None:
        log.error("the release model %s cannot be read", release)
        return 1
    marker = model.with_name("seeded-from")
    if model.exists() and marker.exists() and marker.read_text() == manifest["version"]:
        log.info("the model volume was seeded from %s already", manifest["version"])
        return 0
    model.parent.mkdir(parents=True, exist_ok=True)
    staged = model.with_name("seeding.npz")
    shutil.copyfile(release, staged)
    os.replace(staged, model)  # atomic: replicas watching the file never read half of it
    marker.write_text(manifest["version"])
    log.info("seeded %s with the release model %s", model, manifest["version"])
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    parser = argparse.ArgumentParser(prog="python -m classifier.promotion", description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_FILE)
    parser.add_argument("--data", type=Path, nargs="+", default=[TRAIN_DIR, CORRECTIONS_DIR])
    parser.add_argument("--eval", type=Path, nargs="+", default=[EVAL_DIR, VARIED_EVAL_DIR])
    parser.add_argument("--rollback", action="store_true", help="put the previous model back")
    parser.add_argument("--seed", type=Path, help="a release's model to start the volume from")
    args = parser.parse_args(argv)
    if args.rollback:
        return rollback(args.model)
    if args.seed:
        return seed(args.model, args.seed)
    return retrain(args.model, args.data, args.eval)


if __name__ == "__main__":
    raise SystemExit(main())
