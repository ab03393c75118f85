"""Ports, directories and connection strings of each profile."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
KAFKA_DIR = ROOT / "deploy" / "local" / "kafka"
SERVICES = ("ingest", "classifier", "router", "sla-monitor")
OIDC_AUDIENCE = "appeals"


@dataclass(frozen=True)
class Profile:
    name: str
    kafka_port: int
    controller_port: int
    pg_port: int
    first_service_port: int

    @property
    def state(self) -> Path:
        return ROOT / ".stack" / self.name

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def pids(self) -> Path:
        return self.state / "pids"

    def service_port(self, service: str) -> int:
        return self.first_service_port + SERVICES.index(service)

    def service_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.service_port(service)}"

    @property
    def idp_port(self) -> int:
        """The dev IdP's port, right after the four services' (dev 8005, test 18005)."""
        return self.first_service_port + len(SERVICES)

    @property
    def idp_url(self) -> str:
        return f"http://127.0.0.1:{self.idp_port}"

    @property
    def delivery_port(self) -> int:
        """Ingest's delivery worker (dev 8006, test 18006)."""
        return self.idp_port + 1

    @property
    def fake_platforms_port(self) -> int:
        """The fake VK, Telegram, MAX and OK APIs answers are posted to (dev 8007, test 18007)."""
        return self.idp_port + 2

    def ports(self) -> list[int]:
        services = [self.service_port(s) for s in SERVICES]
        extras = [self.idp_port, self.delivery_port, self.fake_platforms_port]
        return [self.kafka_port, self.controller_port, self.pg_port, *services, *extras]


PROFILES = {
    "dev": Profile("dev", 19092, 19093, 55432, 8001),
    "test": Profile("test", 29092, 29093, 55433, 18001),
}


def own_kafka(profile: Profile) -> str:
    return f"127.0.0.1:{profile.kafka_port}"


def own_database(profile: Profile) -> str:
    return f"postgresql+asyncpg://appeals@127.0.0.1:{profile.pg_port}/appeals"


def external_kafka(profile: Profile) -> str:
    """KAFKA_BOOTSTRAP_SERVERS when it names another broker than the profile's own, else ''."""
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
    return "" if given == own_kafka(profile) else given


def external_database(profile: Profile) -> str:
    """DATABASE_URL when it names another database than the profile's own, else ''."""
    given = os.environ.get("DATABASE_URL", "")
    return "" if given == own_database(profile) else given


def kafka_bootstrap(profile: Profile) -> str:
    return external_kafka(profile) or own_kafka(profile)


def database_url(profile: Profile) -> str:
    return external_database(profile) or own_database(profile)


def infra_env(profile: Profile) -> dict[str, str]:
    """The caller's environment plus the profile's Kafka and database addresses."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(profile),
        "DATABASE_URL": database_url(profile),
    }


def oidc_env(profile: Profile) -> dict[str, str]:
    """Whose tokens the services accept (the caller's OIDC_* if set, else the dev IdP's), and
    where the router's console finds the SLA monitor."""
    return {
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER") or profile.idp_url,
        "OIDC_AUDIENCE": os.environ.get("OIDC_AUDIENCE") or OIDC_AUDIENCE,
        # The console's card reads the SLA state from this profile's monitor.
        "ROUTER_SLA_URL": os.environ.get("ROUTER_SLA_URL") or profile.service_url("sla-monitor"),
    }


def python() -> str:
    """The workspace's interpreter: the one that has the services and their dependencies."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable
