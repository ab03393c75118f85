"""The stack's processes beyond the four services: the fake platform APIs that answers are
posted to (started with the infrastructure: they stand in for third parties) and ingest's
delivery worker (started with the services). Each one uvicorn process with a pid file, a log
and a health URL."""

import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stacklib import procs
from stacklib.procs import StackError, say
from stacklib.profiles import ROOT, Profile, infra_env, oidc_env, python

READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class Extra:
    name: str
    app: str  # uvicorn's app argument, with --factory when it is one
    port: Callable[[Profile], int]
    health: str
    env: Callable[[Profile], dict[str, str]]

    def url(self, profile: Profile) -> str:
        return f"http://127.0.0.1:{self.port(profile)}"

    def log(self, profile: Profile) -> Path:
        return profile.logs / f"{self.name}.log"

    def pid_file(self, profile: Profile) -> Path:
        return profile.pids / f"{self.name}.pid"

    def marker(self, profile: Profile) -> str:
        return f"{self.app} --host 127.0.0.1 --port {self.port(profile)}"


def _platform_urls(profile: Profile) -> dict[str, str]:
    """The delivery worker posts to the fakes, unless the caller points it elsewhere."""
    fakes = FAKE_PLATFORMS.url(profile)
    urls = {
        "INGEST_VK_API_URL": f"{fakes}/vk/method",
        "INGEST_TELEGRAM_API_URL": f"{fakes}/telegram",
        "INGEST_MAX_API_URL": f"{fakes}/max",
        "INGEST_OK_API_URL": f"{fakes}/ok/fb.do",
        "INGEST_OK_GRAPH_API_URL": f"{fakes}/ok/graph",
    }
    return {name: os.environ.get(name) or url for name, url in urls.items()}


FAKE_PLATFORMS = Extra(
    "fake-platforms",
    "tools.fake_platforms.app:create_app --factory",
    lambda p: p.fake_platforms_port,
    "/health/live",
    lambda p: {**os.environ},
)
DELIVERY = Extra(
    "ingest-delivery",
    "ingest.delivery.main:app",
    lambda p: p.delivery_port,
    "/health/ready",
    lambda p: {**infra_env(p), **oidc_env(p), **_platform_urls(p)},
)


def running(extra: Extra, profile: Profile) -> bool:
    return procs.running_pid(extra.pid_file(profile), extra.marker(profile)) is not None


def healthy(extra: Extra, profile: Profile) -> bool:
    try:
        with urllib.request.urlopen(extra.url(profile) + extra.health, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start(extra: Extra, profile: Profile) -> None:
    """Start it unless it runs; wait until it answers on its health URL."""
    if running(extra, profile):
        say(f"{extra.name}: already running on {extra.url(profile)}")
        return
    if procs.port_open(extra.port(profile)):
        raise StackError(f"{extra.name}: port {extra.port(profile)} is taken by another process")
    say(f"{extra.name}: starting on {extra.url(profile)}")
    argv = [python(), "-m", "uvicorn", *extra.marker(profile).split()]
    env = {**extra.env(profile), "PYTHONUNBUFFERED": "1"}
    procs.spawn(argv, log=extra.log(profile), pid_file=extra.pid_file(profile), env=env, cwd=ROOT)
    procs.wait_until(lambda: healthy(extra, profile) or not running(extra, profile), READY_TIMEOUT)
    if not healthy(extra, profile):
        state = "is not ready" if running(extra, profile) else "exited"
        log = extra.log(profile)
        raise StackError(f"{extra.name} {state}; tail of {log}:\n{procs.tail(log)}")
    say(f"{extra.name}: ready")


def stop(extra: Extra, profile: Profile) -> None:
    procs.stop(extra.name, extra.pid_file(profile), extra.marker(profile), timeout=15)


def describe(extra: Extra, profile: Profile) -> str:
    if not running(extra, profile):
        return "stopped"
    return "ready" if healthy(extra, profile) else "running (not ready)"
