"""`python -m classifier.evaluate`: the benchmark on the evaluation set, printed as a report.

    python -m classifier.evaluate [--model FILE] [--data DIR] [--min-confidence X] [--rounds N]
                                  [--all-cores]

Quality: per-topic precision, recall and F1 over the appeals of the evaluation set (an appeal
sent to triage or taken for a non-appeal counts as a miss of its topic), topic macro-F1 with
and without the triage threshold, appeal/non-appeal accuracy, body-type accuracy (the body
type implied by the predicted topic against the true topic's) and the share sent to triage.
Speed: appeals per second through `classify()`, one at a time as the consumer does, in this
process pinned to one core: first pass with an empty lemma cache, then warm, then warm per
band of text length.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import pymorphy3
from sklearn.metrics import precision_recall_fscore_support

from appeals_common.events import Classification
from classifier.adapters.artifact import load_models
from classifier.adapters.dataset import data_files, read_examples
from classifier.adapters.navec_vectors import embedder_for
from classifier.domain.classify import APPEAL, AppealClassifier, triage_threshold
from classifier.domain.rubricator import BY_ID, TOPICS, UNPLACED
from classifier.domain.text import Lemmatiser
from classifier.settings import DEFAULT_MODEL_FILE
from classifier.training import Example

EVAL_DIR = Path("services/classifier/data/eval")


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark report; exit 1 when there is no evaluation data."""
    args = _parser().parse_args(argv)
    examples = read_examples(data_files(args.data))
    if not examples:
        sys.stderr.write(f"no evaluation data (*.jsonl) in {args.data}\n")
        return 1
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, honestly
    models = load_models(args.model)
    morph = pymorphy3.MorphAnalyzer()
    threshold = triage_threshold(models, args.min_confidence)
    embedder = embedder_for(models)
    classifier = AppealClassifier(
        models, Lemmatiser(morph), min_confidence=threshold, embedder=embedder
    )
    texts = [e.text for e in examples]
    started = time.perf_counter()
    results = [classifier.classify(t) for t in texts]
    cold = len(texts) / (time.perf_counter() - started)
    warm = _throughput(classifier, texts, args.rounds)
    no_threshold = AppealClassifier(
        models, classifier.lemmatiser, min_confidence=0.0, embedder=embedder
    )
    top1 = [no_threshold.classify(e.text) for e in examples]
    out = sys.stdout.write
    out(f"model {models.version}; {len(examples)} evaluation texts from {args.data}\n")
    source = "given" if args.min_confidence is not None else "the model's, at least the floor"
    out(f"min_confidence {threshold:.3f} ({source}; model's {models.topic.threshold:.3f})\n\n")
    out(_report(examples, results, top1))
    out(_by_style(examples, results, top1))
    out(f"\nthroughput, one core: {cold:,.0f} appeals/s cold cache, {warm:,.0f} appeals/s warm\n")
    out(_by_length(classifier, texts, args.rounds))
    return 0


def _report(
    examples: list[Example], results: list[Classification], top1: list[Classification]
) -> str:
    appeals = [i for i, e in enumerate(examples) if e.category == APPEAL]
    truth = [examples[i].topic for i in appeals]
    predicted = [results[i].topic for i in appeals]
    labels = [t.id for t in (*TOPICS, UNPLACED) if t.id in set(truth)]  # "other": vague, outside
    topics = [label for label in labels if label != UNPLACED.id]  # what triage offers to pick
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    lines = [f"{'topic':<26}{'P':>6}{'R':>6}{'F1':>6}{'n':>5}"]
    lines += [
        f"{t:<26}{a:6.2f}{b:6.2f}{c:6.2f}{d:5d}"
        for t, a, b, c, d in zip(labels, p, r, f, n, strict=True)
    ]
    routed = [i for i, topic in enumerate(predicted) if topic not in ("other", "not_appeal")]
    figures = {
        "topic macro-F1 (triage counts as a miss)": _macro_f1(truth, predicted, labels),
        "topic macro-F1 of the appeals routed": _macro_f1(
            [truth[i] for i in routed], [predicted[i] for i in routed], topics
        ),
        "topic macro-F1 without the threshold (top-1)": _macro_f1(
            truth, [top1[i].topic for i in appeals], labels
        ),
        "top-1 topic accuracy (without the threshold)": _share(
            top1[i].topic == examples[i].topic for i in appeals
        ),
        "top-3 topic accuracy (the triage candidates)": _share(
            _in_top3(top1[i], examples[i].topic) for i in appeals if examples[i].topic in topics
        ),
        "share of appeals sent to triage": predicted.count("other") / len(appeals),
        "precision of the appeals routed (right topic)": _share(
            predicted[i] == truth[i] for i in routed
        ),
        "appeal/non-appeal accuracy": _share(
            r.is_appeal == (e.category == APPEAL) for e, r in zip(examples, results, strict=True)
        ),
        "non-appeal category accuracy (5 classes)": _share(
            r.category == e.category for e, r in zip(examples, results, strict=True)
        ),
        "body-type accuracy (appeals)": _share(
            results[i].body_type == BY_ID[examples[i].topic].body_type for i in appeals
        ),
        "body-type accuracy (appeals routed)": _share(
            results[appeals[i]].body_type == BY_ID[truth[i]].body_type for i in routed
        ),
        "urgency accuracy (appeals)": _share(
            results[i].urgent == examples[i].urgent for i in appeals
        ),
    }
    lines.append("")
    lines += [f"{name:<46}{value:6.3f}" for name, value in figures.items()]
    return "\n".join(lines) + "\n"


def _by_style(
    examples: list[Example], results: list[Classification], top1: list[Classification]
) -> str:
    """Top-1, top-3, the triage share and the routed precision per style of text (the varied
    set says how each text is written; a set without styles has nothing to show)."""
    styles = sorted({e.style for e in examples if e.style and e.category == APPEAL})
    if not styles:
        return ""
    lines = [
        "",
        f"{'style':<16}{'n':>5}{'top-1':>8}{'top-3':>8}{'triage':>8}{'routed P':>10}",
    ]
    for style in styles:
        mine = [i for i, e in enumerate(examples) if e.style == style and e.category == APPEAL]
        routed = [i for i in mine if results[i].topic not in ("other", "not_appeal")]
        pickable = [i for i in mine if examples[i].topic != UNPLACED.id]
        lines.append(
            f"{style:<16}{len(mine):5d}"
            f"{_share(top1[i].topic == examples[i].topic for i in mine):8.3f}"
            f"{_share(_in_top3(top1[i], examples[i].topic) for i in pickable):8.3f}"
            f"{_share(results[i].topic == 'other' for i in mine):8.3f}"
            f"{_share(results[i].topic == examples[i].topic for i in routed):10.3f}"
        )
    return "\n".join(lines) + "\n"


def _in_top3(result: Classification, topic: str) -> bool:
    return any(c.topic == topic for c in result.candidates)


def _macro_f1(truth: list[str], predicted: list[str], labels: list[str]) -> float:
    if not truth:
        return 0.0
    _, _, f, _ = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    return float(f.mean())


def _share(flags: object) -> float:
    values = list(flags)  # type: ignore[call-overload]
    return sum(values) / len(values) if values else 0.0


def _throughput(classifier: AppealClassifier, texts: list[str], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            classifier.classify(text)
    return rounds * len(texts) / (time.perf_counter() - started)


_LENGTHS = ((0, 150), (151, 300), (301, 500), (501, 1000), (1001, 10**9))


def _by_length(classifier: AppealClassifier, texts: list[str], rounds: int) -> str:
    """Warm throughput for the texts of each length band: the cost grows with the words."""
    lines = ["", f"{'characters':<14}{'texts':>6}{'mean length':>13}{'appeals/s':>11}"]
    for low, high in _LENGTHS:
        band = [t for t in texts if low <= len(t) <= high]
        if band:
            passes = max(rounds, 3000 // len(band))  # enough calls for a steady figure
            label = f"{low}-{high}" if high < 10**9 else f"{low}+"
            mean = sum(map(len, band)) / len(band)
            speed = _throughput(classifier, band, passes)
            lines.append(f"{label:<14}{len(band):6d}{mean:13.0f}{speed:11,.0f}")
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m classifier.evaluate", description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_FILE)
    parser.add_argument("--data", type=Path, default=EVAL_DIR, help="evaluation JSONL directory")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=None,
        help="the triage threshold (default: the model's, chosen in training)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="warm passes for throughput")
    parser.add_argument("--all-cores", action="store_true", help="do not pin to one core")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
