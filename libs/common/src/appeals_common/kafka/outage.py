"""Failing fast while Kafka is away: once a send was not acknowledged, callers are told at
once (ingest answers 503 and the platform retries later) instead of each holding a request
for the whole send timeout. One send at a time, every `probe_every_s`, goes through to find
out whether the broker is back; its success ends the outage for everyone."""

import time
from collections.abc import Callable

from appeals_common.errors import DependencyUnavailable


class Outage:
    def __init__(self, probe_every_s: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._probe_every_s = probe_every_s
        self._clock = clock
        self._down = False
        self._probing = False
        self._last_probe = 0.0

    @property
    def down(self) -> bool:
        return self._down

    def admit(self) -> None:
        """Let a send go ahead: always while Kafka is up; during an outage only as the probe.
        DependencyUnavailable for everyone else, at once. Report each send's end back."""
        if not self._down:
            return
        now = self._clock()
        if self._probing or now - self._last_probe < self._probe_every_s:
            raise DependencyUnavailable("Kafka is unreachable")
        self._probing, self._last_probe = True, now

    def succeeded(self) -> None:
        self._down = self._probing = False

    def failed(self) -> None:
        self._down, self._probing, self._last_probe = True, False, self._clock()

    def abandoned(self) -> None:
        """A send given up for its own reasons (cancelled) tells nothing: the next may probe."""
        self._probing = False
