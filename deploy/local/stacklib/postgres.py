"""The profile's PostgreSQL: a private cluster from Debian's package, and the migrations."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from stacklib import apt, procs
from stacklib.procs import StackError, say
from stacklib.profiles import Profile, infra_env, python

# Each module applies one service's migrations to DATABASE_URL; all must succeed.
MIGRATION_MODULES = ("ingest.migrate", "router.migrate", "sla_monitor.migrate")
# Then the demo region's data: an idempotent upsert (the page registry with its demo API keys).
SEED_COMMANDS = (("ingest.pages", "import", "config/pages.yaml"),)
ROLE = DATABASE = "appeals"
SETUP_SQL = f"""
SELECT 'CREATE ROLE {ROLE} LOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}')\\gexec
SELECT 'CREATE DATABASE {DATABASE} OWNER {ROLE}'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{DATABASE}')\\gexec
"""
# Anyone on this machine may connect over loopback, nobody from outside.
HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n"


def data_dir(profile: Profile) -> Path:
    return profile.state / "pg" / "data"


def socket_dir(profile: Profile) -> Path:
    own = profile.state / "pg" / "run"
    # A unix socket path is limited to 107 bytes; a deep checkout falls back to /tmp.
    return own if len(str(own)) < 90 else Path(tempfile.gettempdir())


def log(profile: Profile) -> Path:
    return profile.logs / "postgres.log"


def as_root() -> bool:
    return os.geteuid() == 0


def as_postgres(argv: list[str]) -> list[str]:
    """Run as the `postgres` user when we are root: the server refuses to run as root."""
    return ["runuser", "-u", "postgres", "--", *argv] if as_root() else argv


def bin_dir() -> Path | None:
    """The newest installed server's bin directory, if any."""
    found = Path("/usr/lib/postgresql").glob("*/bin/initdb")
    versions = sorted(found, key=lambda p: int(p.parent.parent.name), reverse=True)
    return versions[0].parent if versions else None


def ensure_installed() -> Path:
    """The server's bin directory, installing Debian's package first when it is missing."""
    found = bin_dir()
    if found is not None:
        return found
    apt.install("postgresql")
    found = bin_dir()
    if found is None:
        raise StackError("apt-get installed postgresql but no initdb was found")
    return found


def _own_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if as_root():
        shutil.chown(path, "postgres", "postgres")


def init_cluster(profile: Profile, bins: Path) -> None:
    """initdb a cluster for this profile once: its port, loopback only, trust auth."""
    data = data_dir(profile)
    if (data / "PG_VERSION").exists():
        return
    for path in (data.parent, data, socket_dir(profile)):
        _own_dir(path)
    _check_reachable(data)
    argv = [str(bins / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    procs.run(as_postgres([*argv, "-E", "UTF8", "--no-locale"]), what="initdb")
    settings = {
        "port": str(profile.pg_port),
        "listen_addresses": "'127.0.0.1'",
        "unix_socket_directories": f"'{socket_dir(profile)}'",
        # Throwaway dev/test data: durability is not worth the fsyncs on a 2-core machine.
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    with (data / "postgresql.conf").open("a") as conf:
        conf.write("\n# deploy/local/stack.py\n")
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
    (data / "pg_hba.conf").write_text(HBA)


def _check_reachable(data: Path) -> None:
    if as_root() and subprocess.run(as_postgres(["test", "-w", str(data)])).returncode != 0:
        raise StackError(f"the postgres user cannot reach {data}: clone outside a private home")


def running(profile: Profile) -> bool:
    bins = bin_dir()
    if bins is None or not data_dir(profile).exists():
        return False
    argv = as_postgres([str(bins / "pg_ctl"), "status", "-D", str(data_dir(profile))])
    return subprocess.run(argv, capture_output=True, check=False).returncode == 0


def start(profile: Profile) -> None:
    """Start the profile's cluster unless it runs; make the appeals role and database."""
    if running(profile):
        say(f"postgres: already running on 127.0.0.1:{profile.pg_port}")
        return
    if procs.port_open(profile.pg_port):
        raise StackError(f"postgres: port {profile.pg_port} is taken by another process")
    bins = ensure_installed()
    init_cluster(profile, bins)
    profile.logs.mkdir(parents=True, exist_ok=True)
    log(profile).touch()
    if as_root():
        shutil.chown(log(profile), "postgres", "postgres")
    say(f"postgres: starting on 127.0.0.1:{profile.pg_port}")
    argv = [str(bins / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data_dir(profile))]
    procs.run(as_postgres([*argv, "-l", str(log(profile))]), what="pg_ctl start", detach=True)
    psql = [str(bins / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"]
    psql += ["-p", str(profile.pg_port), "-U", "postgres", "-d", "postgres"]
    procs.run(psql, what="creating role and database", stdin=SETUP_SQL)


def migrate(profile: Profile) -> None:
    """Apply every service's migrations to the profile's or the given database."""
    for module in MIGRATION_MODULES:
        say(f"postgres: migrating ({module})")
        argv = [python(), "-m", module]
        procs.run(argv, what=f"migration {module}", env=infra_env(profile))


def seed(profile: Profile) -> None:
    """Import the demo region's seed files into the profile's or the given database."""
    for module, *args in SEED_COMMANDS:
        say(f"postgres: seeding ({module} {' '.join(args)})")
        argv = [python(), "-m", module, *args]
        procs.run(argv, what=f"seed {module}", env=infra_env(profile))


def stop(profile: Profile) -> None:
    if not running(profile):
        return
    bins = bin_dir()
    assert bins is not None, "running() found the server"
    say("postgres: stopping")
    argv = [str(bins / "pg_ctl"), "stop", "-m", "fast", "-w", "-t", "60"]
    procs.run(as_postgres([*argv, "-D", str(data_dir(profile))]), what="pg_ctl stop")
