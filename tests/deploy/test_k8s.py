"""The Kubernetes base agrees with itself, the code and the alerts: every manifest is in the
kustomization, every Deployment runs a service app with probes, metrics annotations, limits and
a non-root read-only container, has a PodDisruptionBudget and two pods at least (fixed, or its
autoscaler's minimum), and is watched by AppealsServiceDown; Secrets are read by the keys the
example shows. Plain file checks."""

import re
from typing import Any

import pytest
import yaml

from tests.deploy.test_compose import PROMETHEUS_DIR, SERVICE_APPS, entrypoints
from tests.deploy.test_migrations_wired import K8S_BASE, containers, k8s_documents

SECRET_EXAMPLE = K8S_BASE.parent / "overlays" / "example-region" / "secret.example.yaml"
DEPLOYMENTS = {d["metadata"]["name"]: d for d in k8s_documents() if d["kind"] == "Deployment"}


def kinds(kind: str) -> list[dict[str, Any]]:
    return [d for d in k8s_documents() if d["kind"] == kind]


def test_every_manifest_is_in_the_kustomization() -> None:
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text(encoding="utf-8"))
    files = {p.name for p in K8S_BASE.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files


def test_every_service_app_is_deployed() -> None:
    apps = {
        target
        for d in DEPLOYMENTS.values()
        for c in containers(d)
        for kind, target in entrypoints(c["command"])
        if kind == "app"
    }
    assert apps == set(SERVICE_APPS)


@pytest.mark.parametrize("name", sorted(DEPLOYMENTS))
def test_deployment_is_probed_scraped_and_confined(name: str) -> None:
    deployment = DEPLOYMENTS[name]
    template = deployment["spec"]["template"]
    assert template["metadata"]["labels"]["app.kubernetes.io/name"] == name  # the `service` label
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert template["spec"]["securityContext"]["runAsNonRoot"] is True
    [container] = template["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert int(annotations["prometheus.io/port"]) == ports["http"]
    assert f"--port {ports['http']}" in " ".join(container["command"])
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert "memory" in container["resources"]["limits"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("name", sorted(DEPLOYMENTS))
def test_deployment_has_a_disruption_budget_and_two_pods(name: str) -> None:
    budgets = [p["spec"]["selector"]["matchLabels"] for p in kinds("PodDisruptionBudget")]
    assert {"app.kubernetes.io/name": name} in budgets
    spec = DEPLOYMENTS[name]["spec"]
    if name in autoscaled():  # the HPA owns the count; a `replicas` would fight it on every apply
        assert "replicas" not in spec and autoscaled()[name] >= 2
    else:
        assert spec["replicas"] >= 2


def autoscaled() -> dict[str, int]:
    """Deployment -> the fewest replicas its autoscaler keeps: a CPU HPA's or, for the
    consumers, a KEDA ScaledObject's (KEDA makes the HPA itself)."""
    hpas = {
        h["spec"]["scaleTargetRef"]["name"]: h["spec"]["minReplicas"]
        for h in kinds("HorizontalPodAutoscaler")
    }
    keda = {
        s["spec"]["scaleTargetRef"]["name"]: s["spec"]["minReplicaCount"]
        for s in kinds("ScaledObject")
    }
    return hpas | keda


def secret_keys() -> dict[str, set[str]]:
    docs = yaml.safe_load_all(SECRET_EXAMPLE.read_text(encoding="utf-8"))
    return {d["metadata"]["name"]: set(d["stringData"]) for d in docs if d}


def test_secrets_are_read_by_the_keys_the_example_shows() -> None:
    refs = [
        (doc["metadata"]["name"], env["valueFrom"]["secretKeyRef"])
        for doc in k8s_documents()
        for container in containers(doc)
        for env in container.get("env", [])
        if "secretKeyRef" in env.get("valueFrom", {})
    ]
    assert refs
    for name, ref in refs:
        assert ref["key"] in secret_keys().get(ref["name"], set()), f"{name}: {ref}"


def down_alert_services() -> set[str]:
    rules = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text(encoding="utf-8"))
    [down] = [r for g in rules["groups"] for r in g["rules"] if r["alert"] == "AppealsServiceDown"]
    return set(re.findall(r'absent\(up\{[^}]*service="([^"]+)"', down["expr"]))


def test_service_down_alert_knows_every_deployment_and_compose_target() -> None:
    compose_targets = yaml.safe_load(
        (PROMETHEUS_DIR / "prometheus.yml").read_text(encoding="utf-8")
    )["scrape_configs"][0]["static_configs"]
    services = {static["labels"]["service"] for static in compose_targets}
    assert down_alert_services() == set(DEPLOYMENTS) == services


def test_no_platform_api_address_is_overridden_in_kubernetes() -> None:
    """The delivery worker posts to the real platforms: their addresses keep their defaults."""
    manifests = sorted(K8S_BASE.parent.rglob("*.yaml"))
    assert not [p.name for p in manifests if "_API_URL=" in p.read_text(encoding="utf-8")]
