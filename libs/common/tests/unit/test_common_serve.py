"""The multi-worker launcher: real worker processes on a real port, no broker needed."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from appeals_common.serve import listening_socket

# Answers every request with the pid of the worker that took it.
PID_APP = """
import os

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = str(os.getpid()).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_pid(port: int) -> int:
    """The pid that answers a request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        return int(connection.getresponse().read())
    finally:
        connection.close()


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def launch(app_dir: Path, app: str, port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "appeals_common.serve", app]
    argv += ["--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": f"{app_dir}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "pid_app.py").write_text(textwrap.dedent(PID_APP))
    (tmp_path / "broken_app.py").write_text("raise RuntimeError('cannot start')\n")
    return tmp_path


@pytest.fixture
def served(app_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    parent = launch(app_dir, "pid_app:app", port)
    try:
        wait_for(lambda: worker_pid(port) > 0)
        yield parent, port
    finally:
        # Workers outlive a killed parent (they are re-parented), so find them first.
        workers = _children(parent.pid)
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        _kill(workers)


def _children(pid: int) -> set[int]:
    """The live worker processes of a launcher, from /proc (its resource tracker is not one)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z" and b"spawn_main" in command:
            found.add(int(entry.name))
    return found


def _kill(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_two_sockets_share_a_port() -> None:
    port = free_port()
    first, second = listening_socket("127.0.0.1", port), listening_socket("127.0.0.1", port)
    try:
        # Listening is what SO_REUSEADDR alone refuses on a taken port; binding is not.
        first.listen()
        second.listen()
        assert first.getsockname() == second.getsockname()
    finally:
        first.close()
        second.close()


def test_new_connections_are_spread_over_every_worker(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    parent, port = served
    workers = _children(parent.pid)
    assert len(workers) == 2
    # 40 connections all on one socket by chance: 2**-39 with the kernel's hash. A worker
    # still starting has no socket yet, so the spread is awaited, not taken at once.
    wait_for(lambda: {worker_pid(port) for _ in range(40)} == workers)


def test_a_worker_that_dies_is_replaced(served: tuple[subprocess.Popen[bytes], int]) -> None:
    parent, port = served
    victim = min(_children(parent.pid))
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: len(_children(parent.pid) - {victim}) == 2)
    survivors = _children(parent.pid)
    assert victim not in survivors
    wait_for(lambda: {worker_pid(port) for _ in range(40)} == _children(parent.pid))


def test_sigterm_stops_the_workers_and_the_parent(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    parent, port = served
    workers = _children(parent.pid)
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=30) == 0
    assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
    with pytest.raises(OSError):
        worker_pid(port)


def test_an_app_that_cannot_start_stops_the_parent(app_dir: Path) -> None:
    parent = launch(app_dir, "broken_app:app", free_port())
    try:
        assert parent.wait(timeout=60) == 3  # uvicorn's STARTUP_FAILURE, not a restart loop
    finally:
        if parent.poll() is None:
            parent.kill()
