"""The dev IdP (tools/dev_idp): one uvicorn process per profile, started before the services.

It issues the tokens the services verify (their OIDC_ISSUER); its signing keys live in
`.stack/<profile>/idp`: `python -m tools.dev_idp token --key-dir` there signs with them too.
"""

import urllib.error
import urllib.request
from pathlib import Path

from stacklib import procs
from stacklib.procs import StackError, say
from stacklib.profiles import ROOT, Profile, infra_env, oidc_env, python

APP = "tools.dev_idp.app:create_app"
LIVE_TIMEOUT = 30.0


def log(profile: Profile) -> Path:
    return profile.logs / "idp.log"


def pid_file(profile: Profile) -> Path:
    return profile.pids / "idp.pid"


def key_dir(profile: Profile) -> Path:
    return profile.state / "idp"


def marker(profile: Profile) -> str:
    return f"{APP} --factory --host 127.0.0.1 --port {profile.idp_port}"


def running(profile: Profile) -> bool:
    return procs.running_pid(pid_file(profile), marker(profile)) is not None


def live(profile: Profile) -> bool:
    """True when the IdP answers 200 on /health/live (its key is made before that)."""
    try:
        with urllib.request.urlopen(profile.idp_url + "/health/live", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def start(profile: Profile) -> None:
    """Start the IdP unless it runs; wait until it answers."""
    if running(profile):
        say(f"idp: already running on {profile.idp_url}")
        return
    if procs.port_open(profile.idp_port):
        raise StackError(f"idp: port {profile.idp_port} is taken by another process")
    say(f"idp: starting on {profile.idp_url}")
    env = {
        **infra_env(profile),
        "DEV_IDP_ISSUER": profile.idp_url,
        "DEV_IDP_AUDIENCE": oidc_env(profile)["OIDC_AUDIENCE"],
        "DEV_IDP_KEY_DIR": str(key_dir(profile)),
        "PYTHONUNBUFFERED": "1",
    }
    argv = [python(), "-m", "uvicorn", *marker(profile).split()]
    procs.spawn(argv, log=log(profile), pid_file=pid_file(profile), env=env, cwd=ROOT)
    procs.wait_until(lambda: live(profile) or not running(profile), LIVE_TIMEOUT)
    if not live(profile):
        state = "does not answer" if running(profile) else "exited"
        raise StackError(f"idp {state}; tail of {log(profile)}:\n{procs.tail(log(profile))}")
    say("idp: ready")


def stop(profile: Profile) -> None:
    procs.stop("idp", pid_file(profile), marker(profile), timeout=15)


def describe(profile: Profile) -> str:
    if not running(profile):
        return "stopped"
    return "ready" if live(profile) else "running (not ready)"
