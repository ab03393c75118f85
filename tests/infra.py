"""Pytest plugin: the `infra` and `running_services` fixtures for integration and e2e tests.

Kafka and PostgreSQL come from, in this order:
1. KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL when set (used as they are);
2. containers, when a Docker engine answers;
3. the local stack, `deploy/local/stack.py --profile test`, stopped at the end of the session.
Every path then runs `stack.py infra-up`, which creates the topics and applies the migrations
(and, on path 3, starts the servers). Nothing starts until a test asks for a fixture.
Without infra, a test skips; in CI (CI=true) it fails, so missing infra never passes silently.
"""

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.identity import Identity

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "deploy" / "local" / "stack.py"
PROFILE = "test"
TEST_GROUP_SUFFIX = "-it"  # the consumer groups of the services run in-process by tests
KEYS = ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")
SERVICES = ("ingest", "classifier", "router", "sla-monitor", "ingest-delivery", "fake-platforms")
# Short SLA timings so e2e tests see breaches in seconds; own consumer groups.
E2E_ENV = {
    "SLA_POLICIES_FILE": str(ROOT / "tests" / "fixtures" / "sla-policies-fast.yaml"),
    "SLA_POLICIES_SOURCE": "file",  # not the database's: the integration tests pin their own
    "SLA_SCAN_INTERVAL_SECONDS": "0.5",
    # A delivery whose worker was killed is taken over after this: seconds, not a minute.
    "DELIVERY_LEASE_SECONDS": "3",
    "KAFKA_GROUP_SUFFIX": "-e2e",
}


@dataclass(frozen=True)
class Infra:
    kafka_bootstrap_servers: str
    database_url: str
    idp_url: str


class InfraUnavailable(Exception):
    """Kafka or PostgreSQL could not be had; the message says why."""


def stack(*args: str, env: dict[str, str] | None = None) -> str:
    """Run `stack.py ARGS --profile test`; its output, or InfraUnavailable with that output."""
    python = ROOT / ".venv" / "bin" / "python"
    argv = [str(python) if python.exists() else sys.executable, str(STACK), *args]
    result = subprocess.run(
        [*argv, "--profile", PROFILE],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise InfraUnavailable(f"stack.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def stack_env(env: dict[str, str]) -> dict[str, str]:
    """The addresses `stack.py env` prints, as a dict."""
    lines = stack("env", env=env).splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"infrastructure unavailable in CI: {reason}", pytrace=False)
    last_line = reason.strip().splitlines()[-1]  # the full output is for CI, which fails
    pytest.skip(f"infrastructure unavailable: {last_line}")


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@contextmanager
def containers(given: dict[str, str]) -> Iterator[dict[str, str]]:
    """Kafka and PostgreSQL containers for whichever of the two was not given."""
    try:  # Imported here: testcontainers is needed only where a Docker engine runs.
        from testcontainers.kafka import KafkaContainer
        from testcontainers.postgres import PostgresContainer
    except ImportError as error:
        raise InfraUnavailable(f"Docker answers but testcontainers is missing: {error}") from error

    with ExitStack() as started:
        env = dict(given)
        if "KAFKA_BOOTSTRAP_SERVERS" not in env:
            kafka = KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft()
            env["KAFKA_BOOTSTRAP_SERVERS"] = started.enter_context(kafka).get_bootstrap_server()
        if "DATABASE_URL" not in env:
            postgres = PostgresContainer(
                "postgres:16-alpine", username="appeals", password="appeals", dbname="appeals"
            )
            url = started.enter_context(postgres).get_connection_url(driver="asyncpg")
            env["DATABASE_URL"] = url
        yield env


@contextmanager
def local_stack(given: dict[str, str]) -> Iterator[dict[str, str]]:
    """The test profile's own servers, from a clean state; stopped (logs kept) at the end."""
    stack("down", "--purge", env=given)
    try:
        yield given
    finally:
        stack("down", env=given)


@contextmanager
def provide(given: dict[str, str]) -> Iterator[dict[str, str]]:
    """The addresses to hand `stack.py infra-up`; those it lacks, it starts locally."""
    if len(given) == len(KEYS):
        yield given
    elif docker_answers():
        with containers(given) as env:
            yield env
    else:
        with local_stack(given) as env:
            yield env


@contextmanager
def exported(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for in-process code; restore the old values afterwards."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    """Kafka and PostgreSQL with topics and migrations applied, for the whole session."""
    given = {key: os.environ[key] for key in KEYS if os.environ.get(key)}
    with ExitStack() as cleanup:
        try:
            env = cleanup.enter_context(provide(given))
            stack("infra-up", env=env)
            printed = stack_env(env)
        except InfraUnavailable as error:
            unavailable(str(error))
        found = {key: printed[key] for key in KEYS} | {"OIDC_ISSUER": printed["IDP_URL"]}
        # In-process test apps share the "-it" groups; they start at today's end of the topics.
        asyncio.run(_skip_history(printed["KAFKA_BOOTSTRAP_SERVERS"]))
        cleanup.enter_context(exported(found))
        yield Infra(found["KAFKA_BOOTSTRAP_SERVERS"], found["DATABASE_URL"], printed["IDP_URL"])


async def _skip_history(bootstrap_servers: str) -> None:
    from appeals_common.testing import skip_history
    from appeals_common.topics import TOPICS

    topics = [t.name for t in TOPICS]
    for service in ("router", "sla-monitor", "ingest-delivery"):
        await skip_history(bootstrap_servers, f"{service}{TEST_GROUP_SUFFIX}", topics)


@pytest.fixture(scope="session")
def identity(infra: Infra) -> Identity:
    """Tokens from the test profile's dev IdP, signed with the keys it publishes."""
    return Identity(infra.idp_url, ROOT / ".stack" / PROFILE / "idp")


@pytest.fixture(scope="session")
def running_services(infra: Infra) -> Iterator[dict[str, str]]:
    """The four services, the delivery worker and the fake platforms as separate processes on
    `infra`; their base URLs by name."""
    env = {
        **E2E_ENV,
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
        "DATABASE_URL": infra.database_url,
        "OIDC_ISSUER": infra.idp_url,
    }
    try:
        stack("services-up", env=env)
    except InfraUnavailable as error:
        stack("services-down", env=env)
        pytest.fail(str(error), pytrace=False)  # a service that does not start is a bug
    urls = stack_env(env)
    yield {name: urls[f"{name.replace('-', '_').upper()}_URL"] for name in SERVICES}
    stack("services-down", env=env)
