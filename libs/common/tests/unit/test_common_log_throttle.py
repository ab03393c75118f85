"""While Kafka is away aiokafka logs the same line thousands of times a second (16 MB in one
fault-suite run): one a window gets through, with the count of the dropped; our own lines all."""

import io
import json
import logging

import pytest

from appeals_common.logs import RepeatThrottle, configure_logging


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _record(name: str, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_library_line_passes_once_a_window_with_the_count_it_dropped() -> None:
    clock = _Clock()
    throttle = RepeatThrottle(window_s=10, clock=clock)
    unable = "Unable connect to node with id %s: %s"
    passed = [throttle.filter(_record("aiokafka", unable, 1, "refused")) for _ in range(500)]
    assert passed.count(True) == 1 and passed[0]
    # Another line of the library is not held back by the first.
    assert throttle.filter(_record("aiokafka", "Unable to update metadata from %s", [1]))

    clock.now += 10
    again = _record("aiokafka", unable, 1, "refused")
    assert throttle.filter(again)
    assert again.repeated == 499  # type: ignore[attr-defined]
    clock.now += 10
    quiet = _record("aiokafka", unable, 1, "refused")
    assert throttle.filter(quiet) and not hasattr(quiet, "repeated")


def test_our_own_lines_are_never_throttled() -> None:
    throttle = RepeatThrottle(window_s=10, clock=_Clock())
    line = "outbox relay waiting for Kafka"
    assert all(throttle.filter(_record("appeals_common.db.outbox", line)) for _ in range(100))


def test_the_services_logging_throttles_the_library_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stderr", out)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("test")
        for _ in range(50):
            logging.getLogger("aiokafka").error("Unable connect to node with id %s", 1)
        logging.getLogger("ingest.app").warning("ours")
        logging.getLogger("ingest.app").warning("ours")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(entry["logger"], entry["message"]) for entry in lines] == [
        ("aiokafka", "Unable connect to node with id 1"),
        ("ingest.app", "ours"),
        ("ingest.app", "ours"),
    ]
