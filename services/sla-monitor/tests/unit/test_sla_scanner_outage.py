"""The steps' scan through a database outage: it waits with a warning, without a traceback for
every interval of a restart, and keeps scanning; a bug is still logged with its traceback."""

import asyncio
import logging
from typing import Any, cast

import pytest
from sqlalchemy import exc

from sla_monitor.handlers import SlaDeps
from sla_monitor.scanner import StepScanner


class _Sessions:
    """A session factory whose every session fails with `error`; stops the scanner after
    `calls` attempts."""

    def __init__(self, error: BaseException, calls: int) -> None:
        self.error, self.calls, self.scanner = error, calls, cast(StepScanner, None)
        self.attempts = 0

    def __call__(self) -> "_Sessions":
        return self

    async def __aenter__(self) -> Any:
        self.attempts += 1
        if self.attempts >= self.calls:
            await self.scanner.stop()
        raise self.error

    async def __aexit__(self, *_: object) -> None:
        return None


async def _scan_until_stopped(error: BaseException, calls: int = 3) -> _Sessions:
    sessions = _Sessions(error, calls)
    deps = cast(SlaDeps, type("Deps", (), {"sessions": sessions})())
    sessions.scanner = StepScanner(deps, interval_s=0.01)
    await asyncio.wait_for(sessions.scanner.run(), timeout=5)
    return sessions


@pytest.mark.parametrize(
    "error",
    [
        exc.OperationalError("SELECT", {}, ConnectionRefusedError(111, "refused")),
        ConnectionRefusedError(111, "Connection refused"),
        exc.InterfaceError("SELECT", {}, Exception("connection is closed")),
    ],
    ids=["operational", "refused", "interface"],
)
async def test_a_database_outage_is_a_warning_and_the_scan_goes_on(
    error: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="sla_monitor.scanner")
    sessions = await _scan_until_stopped(error)
    assert sessions.attempts == 3  # it kept scanning after each failure
    records = [r for r in caplog.records if r.name == "sla_monitor.scanner"]
    assert [r.levelname for r in records] == ["WARNING"] * 3
    assert all(r.exc_info is None for r in records)


async def test_a_bug_in_the_scan_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="sla_monitor.scanner")
    sessions = await _scan_until_stopped(KeyError("step"), calls=2)
    assert sessions.attempts == 2
    records = [r for r in caplog.records if r.name == "sla_monitor.scanner"]
    assert [r.levelname for r in records] == ["ERROR", "ERROR"]
    assert all(r.exc_info is not None for r in records)
