"""Every service that owns tables is migrated wherever the platform runs: by the local stack's
infra-up, compose's `migrate` job and the Kubernetes setup Job; and the Kubernetes containers
set only environment variables their Settings read. Plain file checks, no infrastructure."""

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.test_compose import app_services, entrypoints, env_names, settings_class

ROOT = Path(__file__).resolve().parents[2]
K8S_BASE = ROOT / "deploy" / "k8s" / "base"
SERVICE_PACKAGES = ("ingest", "classifier", "router", "sla_monitor")
MIGRATING = sorted(p for p in SERVICE_PACKAGES if importlib.util.find_spec(f"{p}.migrate"))


def k8s_documents() -> list[dict[str, Any]]:
    return [
        doc
        for path in sorted(K8S_BASE.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec", {}).get("template", {}).get("spec", {})
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def modules_run(commands: list[Any]) -> set[str]:
    return {target for c in commands for kind, target in entrypoints(c) if kind == "module"}


def stack_migration_modules() -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT / "deploy" / "local"))
    try:
        postgres = importlib.import_module("stacklib.postgres")
    finally:
        sys.path.remove(str(ROOT / "deploy" / "local"))
    modules: tuple[str, ...] = postgres.MIGRATION_MODULES
    return modules


def test_ingest_router_and_sla_monitor_own_tables() -> None:
    assert MIGRATING == ["ingest", "router", "sla_monitor"]


def test_the_local_stack_migrates_every_service_that_owns_tables() -> None:
    assert sorted(stack_migration_modules()) == [f"{p}.migrate" for p in MIGRATING]


def test_compose_migrates_every_service_that_owns_tables() -> None:
    run = modules_run([s["command"] for s in app_services().values()])
    assert {f"{p}.migrate" for p in MIGRATING} <= run


def test_the_k8s_setup_job_migrates_every_service_that_owns_tables() -> None:
    [job] = [d for d in k8s_documents() if d["kind"] == "Job"]
    run = modules_run([c["command"] for c in containers(job)])
    assert {f"{p}.migrate" for p in MIGRATING} <= run


def configmap_literals() -> dict[str, set[str]]:
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text(encoding="utf-8"))
    return {
        m["name"]: {literal.split("=", 1)[0] for literal in m.get("literals", [])}
        for m in kustomization["configMapGenerator"]
    }


SERVICE_CONTAINERS = [
    (doc["metadata"]["name"], c)
    for doc in k8s_documents()
    if doc["kind"] == "Deployment"
    for c in containers(doc)
]


@pytest.mark.parametrize(
    ("name", "container"), SERVICE_CONTAINERS, ids=[n for n, _ in SERVICE_CONTAINERS]
)
def test_k8s_environment_is_read_by_settings(name: str, container: dict[str, Any]) -> None:
    literals = configmap_literals()
    names = {e["name"] for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        names |= literals.get(source["configMapRef"]["name"], set())
    [(_, target)] = entrypoints(container["command"])
    unknown = names - set(env_names(settings_class(target)))
    assert not unknown, f"{name} sets variables its Settings do not read: {sorted(unknown)}"
