"""Structured (JSON lines) logging for every service."""

import json
import logging
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Libraries whose reconnect loops log the same line thousands of times a second while a broker
# is away (aiokafka: "Unable connect to node", "Unable to update metadata").
_CHATTY = ("aiokafka", "kafka")


class RepeatThrottle(logging.Filter):
    """Lets one record of each chatty library line through per `window_s`; the next one to
    pass says how many were dropped (`repeated`). Our own loggers are never throttled."""

    def __init__(self, window_s: float = 10.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self._window_s, self._clock = window_s, clock
        self._last: dict[tuple[str, int, str], float] = {}
        self._dropped: dict[tuple[str, int, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] not in _CHATTY:
            return True
        key, now = (record.name, record.levelno, str(record.msg)), self._clock()
        if now - self._last.get(key, -self._window_s) < self._window_s:
            self._dropped[key] = self._dropped.get(key, 0) + 1
            return False
        self._last[key] = now
        if dropped := self._dropped.pop(key, 0):
            record.repeated = dropped
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every logger's records to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(RepeatThrottle())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs each request's URL at INFO: noise, and some APIs put a token in the path.
    for noisy in ("aiokafka", "kafka", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # uvicorn's own loggers come with plain-text handlers: route them through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # A line per request costs more than the request itself at webhook rates; the request
    # counters and latency histograms on /metrics say the same. LOG_LEVEL=DEBUG brings it back.
    logging.getLogger("uvicorn.access").setLevel(max(logging.WARNING, root.level))
