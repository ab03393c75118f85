"""Detached processes tracked by pid files, ports, bounded waits and command runs."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from stacklib.profiles import ROOT


class StackError(Exception):
    """A step failed; the message says which one and shows its output."""


def say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def run(
    argv: Sequence[str],
    *,
    what: str,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    stdin: str | None = None,
    detach: bool = False,
) -> str:
    """Run a command to completion; its output, or StackError with that output."""
    result = subprocess.run(
        list(argv),
        cwd=cwd,
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        # A server it starts (pg_ctl) must not share our session and its terminal signals.
        start_new_session=detach,
    )
    if result.returncode != 0:
        raise StackError(f"{what} failed (exit {result.returncode}):\n{result.stdout}")
    return result.stdout


def spawn(argv: Sequence[str], *, log: Path, pid_file: Path, env: dict[str, str], cwd: Path) -> int:
    """Start a long-running process in its own session, output to `log`; write its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        # A header per start keeps the runs apart in a log that outlives them.
        out.write(f"\n--- stack.py: started {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n".encode())
        out.flush()
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def alive(pid: int, marker: str) -> bool:
    """True if `pid` runs and its command line contains `marker` (pids get reused)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # our own child, just reaped
    except ChildProcessError:
        pass
    if not Path("/proc/self").exists():
        return _signal_zero(pid)
    for _ in range(40):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        # A zombie whose parent never reaps it still answers kill(pid, 0).
        if stat.rsplit(")", 1)[-1].split()[0] == "Z":
            return False
        if cmdline:
            return marker in cmdline.replace(b"\0", b" ").decode(errors="replace")
        time.sleep(0.05)  # a process in the middle of exec() shows an empty command line
    return True


def _signal_zero(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_pid(pid_file: Path, marker: str) -> int | None:
    """The pid in `pid_file` if that process still runs; a stale file is removed."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        pid_file.unlink(missing_ok=True)
        return None
    if alive(pid, marker):
        return pid
    pid_file.unlink(missing_ok=True)
    return None


def stop(name: str, pid_file: Path, marker: str, timeout: float = 30.0) -> None:
    """SIGTERM the process group, SIGKILL it after `timeout`; remove the pid file."""
    pid = running_pid(pid_file, marker)
    if pid is None:
        return
    say(f"{name}: stopping (pid {pid})")
    _signal_group(pid, signal.SIGTERM)
    if not wait_until(lambda: not alive(pid, marker), timeout):
        say(f"{name}: still running after {timeout:.0f}s, killing")
    # Also sweeps any child the leader left behind in its group.
    _signal_group(pid, signal.SIGKILL)
    if not wait_until(lambda: not alive(pid, marker), 10):
        raise StackError(f"{name} (pid {pid}) survived SIGKILL")
    pid_file.unlink(missing_ok=True)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # spawn() starts a new session, so the process group id is the leader's pid.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def wait_until(ready: Callable[[], bool], timeout: float, interval: float = 0.25) -> bool:
    """Poll `ready` until it is true or `timeout` seconds pass; whether it became true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return True
        time.sleep(interval)
    return ready()


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def tail(path: Path, lines: int = 40) -> str:
    """The last `lines` lines of a log file, or a note that there is none."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])
