"""The autoscalers agree with the code (docs/scaling.md): each Kafka consumer is scaled by one
KEDA ScaledObject whose triggers name the consumer group its bootstrap.py builds and topics that
group consumes, never above the partitions of a watched topic; no Deployment has two
autoscalers; ingest's HPA stays within MAX's request budget. Plain file checks: the groups and
their topics are read from the services' bootstrap.py (ast), which is not imported; only
appeals_common's topics (the partition counts) and settings are."""

import ast
import re
from functools import cache
from typing import Any

import pytest
import yaml

from appeals_common import topics
from appeals_common.settings import KafkaSettings
from tests.deploy.test_migrations_wired import K8S_BASE, ROOT, configmap_literals, k8s_documents

# Deployment -> its bootstrap.py; the group it runs has the Deployment's name. ingest-delivery
# consumes too but keeps fixed replicas (ingest-delivery.yaml says why).
KEDA_SCALED = {
    "classifier": "services/classifier/src/classifier/bootstrap.py",
    "router": "services/router/src/router/bootstrap.py",
    "sla-monitor": "services/sla-monitor/src/sla_monitor/bootstrap.py",
}
CONSUMER_LOOP = ROOT / "libs/common/src/appeals_common/kafka/consumer.py"
PARTITIONS = {spec.name: spec.partitions for spec in topics.TOPICS}
# MAX's API takes 30 requests/s in all; each ingest process polls at its own rate (docs/ingest.md).
MAX_API_REQUESTS_PER_SECOND = 30


def kinds(kind: str) -> list[dict[str, Any]]:
    return [d for d in k8s_documents() if d["kind"] == kind]


@cache
def consumer_groups(bootstrap: str) -> dict[str, list[str]]:
    """Group id without its suffix -> the topics of its routes, first route first, as built by
    the `EventConsumer(group_id=f"name{settings.kafka_group_suffix}", routes=[...])` calls."""
    tree = ast.parse((ROOT / bootstrap).read_text(encoding="utf-8"))
    groups: dict[str, list[str]] = {}
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        args = {k.arg: k.value for k in call.keywords}
        group = args.get("group_id")
        if not isinstance(group, ast.JoinedStr):
            continue
        name, suffix = group.values
        assert isinstance(name, ast.Constant) and isinstance(name.value, str)
        assert isinstance(suffix, ast.FormattedValue)
        assert isinstance(suffix.value, ast.Attribute), ast.unparse(group)
        assert suffix.value.attr == "kafka_group_suffix", ast.unparse(group)
        routes = args["routes"]
        assert isinstance(routes, ast.List), f"{bootstrap}: routes is not a list literal"
        names = [r.args[0] for r in routes.elts if isinstance(r, ast.Call)]
        assert all(isinstance(n, ast.Name) for n in names), ast.unparse(routes)
        groups[name.value] = [str(getattr(topics, n.id)) for n in names if isinstance(n, ast.Name)]
    return groups


def literal_values(configmap: str) -> dict[str, str]:
    """The base kustomization's literals of a generated ConfigMap, name -> value."""
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text(encoding="utf-8"))
    [generator] = [g for g in kustomization["configMapGenerator"] if g["name"] == configmap]
    return dict(literal.split("=", 1) for literal in generator.get("literals", []))


def group_suffix() -> str:
    """KAFKA_GROUP_SUFFIX as the base's ConfigMap sets it, else the settings' default."""
    default: str = KafkaSettings.model_fields["kafka_group_suffix"].default
    return literal_values("appeals-common-env").get("KAFKA_GROUP_SUFFIX", default)


def scaled_objects() -> dict[str, dict[str, Any]]:
    return {s["spec"]["scaleTargetRef"]["name"]: s["spec"] for s in kinds("ScaledObject")}


def test_the_keda_scaled_deployments_are_the_consumers() -> None:
    deployments = {d["metadata"]["name"] for d in kinds("Deployment")}
    assert set(scaled_objects()) == set(KEDA_SCALED)
    assert set(KEDA_SCALED) <= deployments
    for name, bootstrap in KEDA_SCALED.items():
        assert name in consumer_groups(bootstrap), f"{bootstrap} builds no group {name!r}"


def test_no_deployment_has_two_autoscalers() -> None:
    hpas = [h["spec"]["scaleTargetRef"]["name"] for h in kinds("HorizontalPodAutoscaler")]
    keda = [s["spec"]["scaleTargetRef"]["name"] for s in kinds("ScaledObject")]
    assert len(hpas + keda) == len(set(hpas + keda)), "KEDA makes its own HPA for its targets"
    assert hpas == ["ingest"]


@pytest.mark.parametrize("name", sorted(KEDA_SCALED))
def test_scaled_object_watches_its_group_within_the_partitions(name: str) -> None:
    spec = scaled_objects()[name]
    consumed = consumer_groups(KEDA_SCALED[name])[name]
    assert 2 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
    assert spec["maxReplicaCount"] <= max(PARTITIONS[t] for t in consumed)
    watched = []
    for trigger in spec["triggers"]:
        meta = trigger["metadata"]
        assert trigger["type"] == "kafka"
        assert meta["consumerGroup"] == name + group_suffix(), "the group bootstrap.py builds"
        assert meta["topic"] in consumed, f"group {name} does not consume {meta['topic']}"
        # More members than a topic's partitions would idle: KEDA must not ask for them.
        assert spec["maxReplicaCount"] <= PARTITIONS[meta["topic"]], meta["topic"]
        assert meta["allowIdleConsumers"] == "false"
        watched.append(meta["topic"])
    assert consumed[0] in watched, "the topic new work arrives on (the first route) is watched"
    assert len(set(watched)) == len(watched)


@pytest.mark.parametrize("name", sorted(KEDA_SCALED))
def test_triggers_read_the_consumers_kafka_address_and_offset_policy(name: str) -> None:
    [deployment] = [d for d in kinds("Deployment") if d["metadata"]["name"] == name]
    first = deployment["spec"]["template"]["spec"]["containers"][0]  # where KEDA reads env
    env = {v for s in first["envFrom"] for v in configmap_literals()[s["configMapRef"]["name"]]}
    reset = re.search(r'auto_offset_reset="(\w+)"', CONSUMER_LOOP.read_text(encoding="utf-8"))
    assert reset, f"{CONSUMER_LOOP} sets no auto_offset_reset"
    for trigger in scaled_objects()[name]["triggers"]:
        meta = trigger["metadata"]
        assert "bootstrapServers" not in meta, "one address: the ConfigMap's, through the env"
        assert meta["bootstrapServersFromEnv"] == "KAFKA_BOOTSTRAP_SERVERS"
        assert "KAFKA_BOOTSTRAP_SERVERS" in env
        assert meta["offsetResetPolicy"] == reset.group(1)


def test_ingest_hpa_stays_within_max_api_budget() -> None:
    [hpa] = kinds("HorizontalPodAutoscaler")
    rate = float(literal_values("ingest-env")["INGEST_MAX_API_RATE_PER_SECOND"])
    assert hpa["spec"]["maxReplicas"] * rate <= MAX_API_REQUESTS_PER_SECOND
    assert hpa["spec"]["minReplicas"] >= 2


def test_docs_give_the_partition_counts_of_the_code() -> None:
    doc = (ROOT / "docs/scaling.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([\w.]+)` \| (\d+) \|", doc, re.M))
    assert rows == {name: str(count) for name, count in PARTITIONS.items()}
