"""Every Kubernetes manifest is valid against the API's schemas, strictly (an unknown field is an
error): each document of the base's and the example overlay's files, and what kustomize renders
from them. Core kinds against the official schemas that kubernetes-validate ships (offline), for
the oldest Kubernetes we check and the newest the package knows; KEDA's ScaledObject against
schemas/scaledobject.json, written here from KEDA's documentation. Broken copies of real
documents prove that the validators reject what they should."""

import copy
import functools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.deploy.test_migrations_wired import K8S_BASE
from tests.infra import unavailable

OVERLAY = K8S_BASE.parent / "overlays" / "example-region"
SCHEMAS = Path(__file__).parent / "schemas"
KUBERNETES_VERSIONS = ("1.30", kubernetes_validate.latest_version())
DELETE = object()


@functools.cache
def scaledobject_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / "scaledobject.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate(doc: dict[str, Any], version: str) -> None:
    """Raise jsonschema.ValidationError if the document is not valid for that Kubernetes."""
    if doc["apiVersion"].startswith("keda.sh/"):
        assert doc["kind"] == "ScaledObject", f"no schema for KEDA's {doc['kind']} in {SCHEMAS}"
        scaledobject_validator().validate(doc)
    else:
        kubernetes_validate.validate(doc, version, strict=True)


def file_documents() -> list[tuple[str, dict[str, Any]]]:
    """(file:Kind/name, document) for each document of the base's and the overlay's files."""
    found = []
    for path in sorted([*K8S_BASE.glob("*.yaml"), *OVERLAY.glob("*.yaml")]):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                where = f"{path.parent.name}/{path.name}:{doc['kind']}/{doc['metadata']['name']}"
                found.append((where, doc))
    return found


def rendered(directory: Path) -> list[dict[str, Any]]:
    """What kustomize builds from a directory (the overlay reads config/, outside its own)."""
    if kustomize := shutil.which("kustomize"):
        command = [kustomize, "build"]
    elif kubectl := shutil.which("kubectl"):
        command = [kubectl, "kustomize"]
    else:
        unavailable("neither kubectl nor kustomize is installed: nothing renders the manifests")
    command += ["--load-restrictor", "LoadRestrictionsNone", str(directory)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


FILE_DOCUMENTS = file_documents()


def test_the_scaledobject_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(scaledobject_validator().schema)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(("where", "doc"), FILE_DOCUMENTS, ids=[w for w, _ in FILE_DOCUMENTS])
def test_each_file_document_is_valid(where: str, doc: dict[str, Any], version: str) -> None:
    validate(doc, version)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("directory", [K8S_BASE, OVERLAY], ids=["base", "example-region"])
def test_what_kustomize_renders_is_valid(directory: Path, version: str) -> None:
    docs = rendered(directory)
    assert {"Deployment", "ScaledObject", "HorizontalPodAutoscaler"} <= {d["kind"] for d in docs}
    for doc in docs:
        validate(doc, version)


def broken(kind: str, name: str, path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A copy of a base document with the value at `path` set, or removed if DELETE."""
    base = [d for where, d in FILE_DOCUMENTS if where.startswith("base/")]
    [doc] = [d for d in base if (d["kind"], d["metadata"]["name"]) == (kind, name)]
    doc = copy.deepcopy(doc)
    *parents, last = path
    parent: Any = doc
    for key in parents:
        parent = parent[key]
    if value is DELETE:
        del parent[last]
    else:
        parent[last] = value
    return doc


CONTAINER = ("spec", "template", "spec", "containers", 0)
KAFKA = ("spec", "triggers", 0, "metadata")
BROKEN = {
    "misspelt container field": (
        broken("Deployment", "ingest", (*CONTAINER, "imagePulPolicy"), "Always"),
        "imagePulPolicy",
    ),
    "string for an integer": (
        broken("Deployment", "classifier", ("spec", "revisionHistoryLimit"), "5"),
        "'5' is not of type 'integer'",
    ),
    "required selector removed": (
        broken("Deployment", "router", ("spec", "selector"), DELETE),
        "'selector' is a required property",
    ),
    "misspelt HPA field": (
        broken("HorizontalPodAutoscaler", "ingest", ("spec", "maxReplica"), 3),
        "maxReplica",
    ),
    "misspelt ScaledObject field": (
        broken("ScaledObject", "router", ("spec", "maxReplicasCount"), 6),
        "maxReplicasCount",
    ),
    "unquoted lag threshold": (
        broken("ScaledObject", "classifier", (*KAFKA, "lagThreshold"), 2000),
        "2000 is not of type 'string'",
    ),
    "misspelt kafka parameter": (
        broken("ScaledObject", "classifier", (*KAFKA, "consumerGrup"), "classifier"),
        "consumerGrup",
    ),
    "idle consumers with the lag limit": (
        broken("ScaledObject", "sla-monitor", (*KAFKA, "allowIdleConsumers"), "true"),
        "'false' was expected",
    ),
    "scale target without a name": (
        broken("ScaledObject", "router", ("spec", "scaleTargetRef", "name"), DELETE),
        "'name' is a required property",
    ),
}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_document_is_rejected(case: str, version: str) -> None:
    doc, reason = BROKEN[case]
    with pytest.raises(jsonschema.ValidationError) as rejected:
        validate(doc, version)
    assert reason in str(rejected.value)
