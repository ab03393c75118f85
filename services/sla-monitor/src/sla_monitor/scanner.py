"""The periodic breach scan, run as one of the service's loops."""

import asyncio
import contextlib
import logging

from sla_monitor.handlers import SCAN_BATCH, SlaDeps, refresh_backlog_gauges, scan_breaches

log = logging.getLogger(__name__)


class BreachScanner:
    def __init__(self, deps: SlaDeps, interval_s: float) -> None:
        self._deps = deps
        self._interval_s = interval_s
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Scan, refresh the gauges, sleep; a database outage only delays the next scan."""
        while not self._stopping.is_set():
            try:
                while await scan_breaches(self._deps) >= SCAN_BATCH:
                    pass  # a backlog of breaches: keep flagging before sleeping
                await refresh_backlog_gauges(self._deps)
            except Exception:
                log.exception("breach scan failed; retrying next interval")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._interval_s)

    async def stop(self) -> None:
        self._stopping.set()
