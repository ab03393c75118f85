"""`python -m classifier.train`: train the models from the repository's data, write the artifact.

    python -m classifier.train [--data DIR ...] [--out FILE] [--if-stale]

With `--if-stale` nothing is trained when the artifact's version already matches the data and
parameters (what `make install` runs, so a clean clone gets a model and an unchanged one is kept).
"""

import argparse
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pymorphy3

from classifier.adapters.artifact import read_manifest, save_models
from classifier.adapters.dataset import data_files, fingerprint, read_examples
from classifier.adapters.navec_vectors import load_vectors
from classifier.domain.embeddings import TextEmbedder
from classifier.domain.text import Lemmatiser
from classifier.settings import DEFAULT_MODEL_FILE
from classifier.training import Params, model_version, train

TRAIN_DIR = Path("services/classifier/data/train")
CORRECTIONS_DIR = Path("services/classifier/data/corrections")
log = logging.getLogger("classifier.train")


def main(argv: list[str] | None = None) -> int:
    """Train (or confirm the artifact is current) and say which version is in place."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    args = _parser().parse_args(argv)
    files = data_files(*args.data)
    if not files:
        log.error("no training data (*.jsonl) in %s", ", ".join(map(str, args.data)))
        return 1
    params = Params()
    version = model_version(fingerprint(files), params)
    current = read_manifest(args.out)
    if args.if_stale and current is not None and current.get("version") == version:
        log.info("model %s at %s is current", version, args.out)
        return 0
    started = time.monotonic()
    examples = read_examples(files)
    embedder = TextEmbedder(load_vectors()) if params.embedding_weight else None
    models = train(examples, Lemmatiser(pymorphy3.MorphAnalyzer()), params, version, embedder)
    manifest = {
        "files": [str(p) for p in files],
        "examples": len(examples),
        "features": len(models.vectoriser.names),
        "params": asdict(params),
    }
    save_models(args.out, models, manifest)
    seconds = time.monotonic() - started
    log.info("trained %s on %d examples in %.1f s -> %s", version, len(examples), seconds, args.out)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m classifier.train", description=__doc__)
    parser.add_argument(
        "--data", type=Path, nargs="+", default=[TRAIN_DIR, CORRECTIONS_DIR],
        help="directories of labelled JSONL files (default: the training set and corrections)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_FILE, help="artifact to write")
    parser.add_argument("--if-stale", action="store_true", help="only when data or code changed")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
