"""The local stack: Kafka, PostgreSQL and the four services on this machine, per profile.

    .venv/bin/python deploy/local/stack.py up|infra-up|services-up|services-down|down|status|env
    .venv/bin/python deploy/local/stack.py logs SERVICE [-n LINES] [-f]
    .venv/bin/python deploy/local/stack.py restart kafka|postgres [--down-for SECONDS]
    .venv/bin/python deploy/local/stack.py replica SERVICE --port PORT
    ... [--profile dev|test]   (dev is the default)

KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL, when set, point at servers that are used as they are:
that component is not started, but topics and migrations are still applied to it.
See docs/local-stack.md for ports and directories.
"""

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from stacklib import apt, extras, idp, kafka, postgres, procs, services
from stacklib.procs import StackError, say
from stacklib.profiles import (
    PROFILES,
    SERVICES,
    Profile,
    database_url,
    external_database,
    external_kafka,
    kafka_bootstrap,
)


def prepare() -> None:
    """Install what the stack needs from registries: PostgreSQL and the Kafka jars, the
    Prometheus the tests check the alert rules and the dashboards' queries with, and the
    Chromium (with a Cyrillic font) the console's browser tests drive."""
    postgres.ensure_installed()
    kafka.ensure_jars()
    apt.ensure_command("promtool", "prometheus")
    apt.ensure_command("chromium", "chromium")
    apt.ensure_file(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), "fonts-dejavu-core")


def infra_up(profile: Profile) -> None:
    if external_kafka(profile):
        say(f"kafka: using KAFKA_BOOTSTRAP_SERVERS={external_kafka(profile)}")
    else:
        kafka.start(profile)
    if external_database(profile):
        say("postgres: using DATABASE_URL from the environment")
    else:
        postgres.start(profile)
    say("kafka: creating topics")
    kafka.create_topics(profile)
    postgres.migrate(profile)
    postgres.seed(profile)
    # The identity provider is infrastructure too: in-process tests verify its tokens.
    idp.start(profile)
    # So are the platforms' APIs, faked: tests post answers to them and read what they got.
    extras.start(extras.FAKE_PLATFORMS, profile)


def up(profile: Profile) -> None:
    infra_up(profile)
    services.start_all(profile)


def down(profile: Profile, purge: bool) -> None:
    """Stop services, then Kafka, then PostgreSQL; check that none of their ports answers."""
    services.stop_all(profile)
    extras.stop(extras.FAKE_PLATFORMS, profile)
    kafka.stop(profile)
    postgres.stop(profile)
    busy = [port for port in profile.ports() if procs.port_open(port)]
    if busy:
        raise StackError(f"ports still answering after down: {busy} (not ours? see `ss -ltnp`)")
    if purge:
        shutil.rmtree(profile.state, ignore_errors=True)
        say(f"removed {profile.state}")
    say(f"profile {profile.name}: down")


def restart(profile: Profile, server: str, down_for: float) -> None:
    """Stop the profile's Kafka or PostgreSQL, leave it down `down_for` seconds, start it again
    and wait until it answers (fault tests: what an outage does to the services)."""
    external = external_kafka(profile) if server == "kafka" else external_database(profile)
    if external:
        raise StackError(f"{server}: not the profile's own ({external}), not ours to restart")
    module = kafka if server == "kafka" else postgres
    module.stop(profile)
    time.sleep(down_for)
    module.start(profile)


def status(profile: Profile) -> None:
    say(f"profile {profile.name}  (state in {profile.state})")
    if external_kafka(profile):
        say(f"{'kafka':<12} external  {external_kafka(profile)}")
    else:
        state = "running" if kafka.running(profile) else "stopped"
        say(f"{'kafka':<12} {state:<9} 127.0.0.1:{profile.kafka_port}")
    if external_database(profile):
        say(f"{'postgres':<12} external  {external_database(profile)}")
    else:
        state = "running" if postgres.running(profile) else "stopped"
        say(f"{'postgres':<12} {state:<9} 127.0.0.1:{profile.pg_port}")
    for service in SERVICES:
        state = services.describe(profile, service)
        say(f"{service:<12} {state:<9} {profile.service_url(service)}")
    say(f"{'idp':<12} {idp.describe(profile):<9} {profile.idp_url}")
    for extra in (extras.DELIVERY, extras.FAKE_PLATFORMS):
        say(f"{extra.name:<12} {extras.describe(extra, profile):<9} {extra.url(profile)}")


def env(profile: Profile) -> None:
    say(f"KAFKA_BOOTSTRAP_SERVERS={kafka_bootstrap(profile)}")
    say(f"DATABASE_URL={database_url(profile)}")
    for service in SERVICES:
        say(f"{services.package(service).upper()}_URL={profile.service_url(service)}")
    say(f"IDP_URL={profile.idp_url}")
    say(f"INGEST_DELIVERY_URL={extras.DELIVERY.url(profile)}")
    say(f"FAKE_PLATFORMS_URL={extras.FAKE_PLATFORMS.url(profile)}")


def log_path(profile: Profile, name: str) -> Path:
    if name == "kafka":
        return kafka.log(profile)
    if name == "postgres":
        return postgres.log(profile)
    if name == "idp":
        return idp.log(profile)
    for extra in (extras.DELIVERY, extras.FAKE_PLATFORMS):
        if name == extra.name:
            return extra.log(profile)
    return services.log(profile, name)


def logs(profile: Profile, name: str, lines: int, follow: bool) -> None:
    path = log_path(profile, name)
    say(procs.tail(path, lines))
    if not follow or not path.exists():
        return
    with path.open(errors="replace") as stream:
        stream.seek(0, 2)
        while True:  # until Ctrl-C, like tail -f
            chunk = stream.read()
            if chunk:
                sys.stdout.write(chunk)
                sys.stdout.flush()
            time.sleep(0.5)


def parser() -> argparse.ArgumentParser:
    # --profile goes before or after the command; SUPPRESS keeps either from resetting the other.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", choices=sorted(PROFILES), default=argparse.SUPPRESS)
    top = argparse.ArgumentParser(description=__doc__.split("\n")[0], parents=[common])
    commands = top.add_subparsers(dest="command", required=True)
    for name in ("up", "infra-up", "services-up", "services-down", "status", "env", "prepare"):
        commands.add_parser(name, parents=[common])
    down_cmd = commands.add_parser("down", parents=[common])
    down_cmd.add_argument("--purge", action="store_true", help="also delete the state dir")
    logs_cmd = commands.add_parser("logs", parents=[common])
    names = [
        *SERVICES,
        "idp",
        extras.DELIVERY.name,
        extras.FAKE_PLATFORMS.name,
        "kafka",
        "postgres",
    ]
    logs_cmd.add_argument("service", choices=names)
    logs_cmd.add_argument("-n", "--lines", type=int, default=100)
    logs_cmd.add_argument("-f", "--follow", action="store_true")
    restart_cmd = commands.add_parser("restart", parents=[common])
    restart_cmd.add_argument("server", choices=["kafka", "postgres"])
    restart_cmd.add_argument("--down-for", type=float, default=0.0, help="seconds stopped")
    replica_cmd = commands.add_parser(
        "replica", parents=[common], help="one more process of a service, in the foreground"
    )
    replica_cmd.add_argument("service", choices=SERVICES)
    replica_cmd.add_argument("--port", type=int, required=True)
    return top


def dispatch(args: argparse.Namespace) -> None:
    profile = PROFILES[getattr(args, "profile", "dev")]
    actions = {
        "up": lambda: up(profile),
        "infra-up": lambda: infra_up(profile),
        "services-up": lambda: services.start_all(profile),
        "services-down": lambda: services.stop_all(profile),
        "down": lambda: down(profile, args.purge),
        "status": lambda: status(profile),
        "env": lambda: env(profile),
        "logs": lambda: logs(profile, args.service, args.lines, args.follow),
        "restart": lambda: restart(profile, args.server, args.down_for),
        "replica": lambda: services.run_replica(profile, args.service, args.port),
        "prepare": prepare,
    }
    actions[args.command]()


def main() -> int:
    try:
        dispatch(parser().parse_args())
    except StackError as error:
        sys.stderr.write(f"stack.py: {error}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`: quiet, like other command-line tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
