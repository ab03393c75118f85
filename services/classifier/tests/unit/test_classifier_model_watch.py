"""A promoted model file is picked up without a restart; a broken one is not."""

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from classifier.model_watch import RELOADS, CurrentModel, ModelWatcher


@dataclass
class _Model:
    version: str

    def classify(self, text: str) -> str:
        return self.version


def _write(path: Path, content: bytes, *, later_by_ns: int = 0) -> None:
    path.write_bytes(content)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + later_by_ns))


def _reloads(outcome: str) -> float:
    return RELOADS.labels(outcome=outcome)._value.get()


async def test_a_replaced_file_is_loaded_and_swapped_in(tmp_path: Path) -> None:
    path = tmp_path / "classifier.npz"
    _write(path, b"v1")
    versions = iter(["v2"])
    current = CurrentModel(_Model("v1"))  # type: ignore[arg-type]
    watcher = ModelWatcher(current, path, lambda: _Model(next(versions)), every_seconds=60)  # type: ignore[arg-type,return-value]
    loaded_before = _reloads("loaded")

    assert await watcher.check() is False  # unchanged
    _write(path, b"v2 bigger", later_by_ns=10**9)
    assert await watcher.check() is True

    assert current.version == "v2"
    assert current.classify("текст") == "v2"
    assert _reloads("loaded") == loaded_before + 1


async def test_a_file_that_will_not_load_keeps_the_running_model(tmp_path: Path) -> None:
    path = tmp_path / "classifier.npz"
    _write(path, b"v1")
    current = CurrentModel(_Model("v1"))  # type: ignore[arg-type]
    attempts = iter([ValueError("half a file"), _Model("v3")])

    def load() -> _Model:
        item = next(attempts)
        if isinstance(item, Exception):
            raise item
        return item

    watcher = ModelWatcher(current, path, load, every_seconds=60)  # type: ignore[arg-type]
    failed_before = _reloads("failed")

    _write(path, b"broken", later_by_ns=10**9)
    assert await watcher.check() is False
    assert current.version == "v1"
    assert _reloads("failed") == failed_before + 1

    _write(path, b"fixed!!", later_by_ns=2 * 10**9)
    assert await watcher.check() is True
    assert current.version == "v3"


async def test_a_missing_file_changes_nothing(tmp_path: Path) -> None:
    current = CurrentModel(_Model("v1"))  # type: ignore[arg-type]
    watcher = ModelWatcher(
        current, tmp_path / "absent.npz", lambda: pytest.fail("loaded"), every_seconds=60
    )

    assert await watcher.check() is False
    assert current.version == "v1"


async def test_the_loop_checks_on_its_schedule_and_stops(tmp_path: Path) -> None:
    path = tmp_path / "classifier.npz"
    _write(path, b"v1")
    current = CurrentModel(_Model("v1"))  # type: ignore[arg-type]
    watcher = ModelWatcher(current, path, lambda: _Model("v2"), every_seconds=0.01)  # type: ignore[arg-type,return-value]
    task = asyncio.create_task(watcher.run())

    _write(path, b"v2 bigger", later_by_ns=10**9)
    for _ in range(200):
        if current.version == "v2":
            break
        await asyncio.sleep(0.01)
    await watcher.stop()
    await asyncio.wait_for(task, timeout=1)

    assert current.version == "v2"
