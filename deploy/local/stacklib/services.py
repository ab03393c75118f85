"""The four services, each a uvicorn process (ingest: several) with its own pid file and log;
the dev IdP (stacklib/idp.py) starts before them and stops after them."""

import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from stacklib import extras, idp, procs
from stacklib.procs import StackError, say
from stacklib.profiles import (
    ROOT,
    SERVICES,
    Profile,
    database_url,
    infra_env,
    kafka_bootstrap,
    oidc_env,
    python,
)

READY_TIMEOUT = 60.0
INGEST_WORKERS = 2


def package(service: str) -> str:
    return service.replace("-", "_")


def log(profile: Profile, service: str) -> Path:
    return profile.logs / f"{service}.log"


def pid_file(profile: Profile, service: str) -> Path:
    return profile.pids / f"{service}.pid"


def marker(profile: Profile, service: str) -> str:
    return f"{package(service)}.main:app --host 127.0.0.1 --port {profile.service_port(service)}"


def running(profile: Profile, service: str) -> bool:
    return procs.running_pid(pid_file(profile, service), marker(profile, service)) is not None


def ready(profile: Profile, service: str) -> bool:
    """True when the service answers 200 on /health/ready."""
    url = profile.service_url(service) + "/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start_all(profile: Profile) -> None:
    """Start the dev IdP, then the services that are not running; wait until all are ready."""
    _check_infra(profile)
    idp.start(profile)  # first: the services verify tokens against its keys
    for service in SERVICES:
        if running(profile, service):
            say(f"{service}: already running on {profile.service_url(service)}")
        else:
            _start(profile, service)
    deadline = time.monotonic() + READY_TIMEOUT
    for service in SERVICES:
        _wait_ready(profile, service, deadline)
    # Posts answers with the pages' tokens: to the fake platforms, in dev and test.
    extras.start(extras.FAKE_PLATFORMS, profile)
    extras.start(extras.DELIVERY, profile)


def _start(profile: Profile, service: str) -> None:
    port = profile.service_port(service)
    if procs.port_open(port):
        raise StackError(f"{service}: port {port} is taken by another process")
    say(f"{service}: starting on {profile.service_url(service)}")
    argv, env = command(profile, service, port)
    pids, logs = pid_file(profile, service), log(profile, service)
    procs.spawn(argv, log=logs, pid_file=pids, env=env, cwd=ROOT)


def command(profile: Profile, service: str, port: int) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that run `service` on `port`."""
    # The caller's environment passes through: e2e tests shorten the SLA timings this way.
    env = {**infra_env(profile), **oidc_env(profile), "PYTHONUNBUFFERED": "1"}
    app, where = f"{package(service)}.main:app", ["--host", "127.0.0.1", "--port", str(port)]
    if service != "ingest":
        return [python(), "-m", "uvicorn", app, *where], env
    # Stateless HTTP: one process per core is what takes the load. Workers with a socket each
    # (SO_REUSEPORT), so the kernel spreads connections evenly.
    workers = env.get("INGEST_WORKERS", str(INGEST_WORKERS))
    argv = [python(), "-m", "appeals_common.serve", app, *where, "--workers", workers]
    own = port == profile.service_port(service)  # a replica must not empty the stack's metrics
    metrics = profile.state / "metrics" / (service if own else f"{service}-{port}")
    env["PROMETHEUS_MULTIPROC_DIR"] = str(_fresh_dir(metrics))
    return argv, env


def run_replica(profile: Profile, service: str, port: int) -> None:
    """Become one more process of `service` on `port`, in the foreground, with the environment
    `services-up` gives it (the same consumer groups): signals reach the service itself."""
    if port in profile.ports():
        raise StackError(f"{service}: port {port} belongs to the profile; choose another")
    if procs.port_open(port):
        raise StackError(f"{service}: port {port} is taken by another process")
    _check_infra(profile)
    argv, env = command(profile, service, port)
    os.chdir(ROOT)
    os.execve(argv[0], argv, env)


def _fresh_dir(path: Path) -> Path:
    """An empty directory: the workers' metric files of an earlier run must not be summed in."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _wait_ready(profile: Profile, service: str, deadline: float) -> None:
    timeout = max(deadline - time.monotonic(), 1.0)
    procs.wait_until(lambda: ready(profile, service) or not running(profile, service), timeout)
    if not ready(profile, service):
        state = "is not ready" if running(profile, service) else "exited"
        tail = procs.tail(log(profile, service))
        raise StackError(f"{service} {state}; tail of {log(profile, service)}:\n{tail}")
    say(f"{service}: ready")


def _check_infra(profile: Profile) -> None:
    """Fail early, and say why, when the services would only crash-loop on missing infra."""
    kafka_host, kafka_port = kafka_bootstrap(profile).split(",")[0].rsplit(":", 1)
    database = urllib.parse.urlsplit(database_url(profile))
    targets = {
        "Kafka": (kafka_host, int(kafka_port)),
        "PostgreSQL": (database.hostname or "127.0.0.1", database.port or 5432),
    }
    for name, (host, port) in targets.items():
        if not procs.port_open(port, host):
            hint = f"run `stack.py infra-up --profile {profile.name}` first"
            raise StackError(f"{name} is not reachable at {host}:{port}: {hint}")


def stop_all(profile: Profile) -> None:
    extras.stop(extras.DELIVERY, profile)
    for service in SERVICES:
        procs.stop(service, pid_file(profile, service), marker(profile, service), timeout=15)
    idp.stop(profile)


def describe(profile: Profile, service: str) -> str:
    if not running(profile, service):
        return "stopped"
    return "ready" if ready(profile, service) else "running (not ready)"
