"""The deployment files agree with the code; plain file checks, no infrastructure.

docker-compose.yml runs modules that exist with environment variables their Settings read and
addresses of its own services, Prometheus scrapes services that compose runs, and the PromQL in
the Grafana dashboards and alert rules names only metrics that the code defines.
"""

import importlib
import importlib.util
import json
import re
import shlex
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from prometheus_client import REGISTRY
from pydantic import AliasChoices, AliasPath
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
OPERATIONS_DOC = ROOT / "docs" / "operations.md"
APP_IMAGE = "appeals-platform"
SERVICE_PACKAGES = ("ingest", "classifier", "router", "sla_monitor")
# The processes that serve /metrics: the four services and ingest's delivery worker.
SERVICE_APPS = (*(f"{p}.main:app" for p in SERVICE_PACKAGES), "ingest.delivery.main:app")
METRICS_MODULES = (
    "appeals_common.metrics",
    *(f"{p}.metrics" for p in SERVICE_PACKAGES),
    "ingest.delivery.metrics",
)

# Commands that are not a service package's own: which Settings they read, and what else.
# `python -m appeals_common.kafka` reads KAFKA_REPLICATION_FACTOR straight from os.environ; the
# fake platforms read no environment (BaseSettings itself has no fields).
COMMAND_SETTINGS = {
    "appeals_common.kafka": ("appeals_common.settings", "KafkaSettings"),
    "tools.dev_idp": ("tools.dev_idp.settings", "IdpSettings"),
    "ingest.delivery.main": ("ingest.delivery.settings", "DeliverySettings"),
    "tools.fake_platforms.app": ("pydantic_settings", "BaseSettings"),
}
EXTRA_ENV = {"appeals_common.kafka": {"KAFKA_REPLICATION_FACTOR"}}

SERIES_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "info": ("_info",),
}
# Series that Prometheus adds to every scrape target itself.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool"}
PROMQL_KEYWORDS |= {"and", "or", "unless", "offset", "atan2", "inf", "nan"}


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return loaded


def app_services() -> dict[str, dict[str, Any]]:
    """Compose services that run the project's image: the four services and the jobs."""
    services = compose()["services"]
    return {n: s for n, s in services.items() if str(s.get("image", "")).split(":")[0] == APP_IMAGE}


def entrypoints(command: str | list[str]) -> list[tuple[str, str]]:
    """What a command runs: ("app", "pkg.main:app") for uvicorn, ("module", "x.y") for -m."""
    args = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    if len(args) >= 3 and Path(args[0]).name in {"sh", "bash"} and args[1] == "-c":
        args = shlex.split(args[2])
    found = []
    for i, arg in enumerate(args):
        if arg == "-m" and i > 0 and Path(args[i - 1]).name.startswith("python"):
            found.append(("module", args[i + 1]))
        elif Path(arg).name == "uvicorn":
            app = next(a for a in args[i + 1 :] if ":" in a and not a.startswith("-"))
            found.append(("app", app))
    return found


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def settings_class(target: str) -> type[BaseSettings]:
    """The Settings a command's target reads: its package's `settings.Settings` by convention."""
    module = target.split(":")[0]
    if module in COMMAND_SETTINGS:
        module_name, class_name = COMMAND_SETTINGS[module]
        cls: type[BaseSettings] = getattr(importlib.import_module(module_name), class_name)
        return cls
    cls = importlib.import_module(f"{module.split('.')[0]}.settings").Settings
    return cls


def env_names(cls: type[BaseSettings]) -> dict[str, Any]:
    """Environment variable a Settings class reads -> the field's default."""
    prefix = cls.model_config.get("env_prefix", "")
    names: dict[str, Any] = {}
    for field_name, field in cls.model_fields.items():
        alias = field.validation_alias
        if alias is None:
            choices: list[Any] = [prefix + field_name]
        elif isinstance(alias, AliasChoices):
            choices = [c.path[0] if isinstance(c, AliasPath) else c for c in alias.choices]
        elif isinstance(alias, AliasPath):
            choices = [alias.path[0]]
        else:
            choices = [alias]
        names.update({str(c).upper(): field.default for c in choices})
    return names


def allowed_env(service: dict[str, Any]) -> dict[str, Any]:
    allowed: dict[str, Any] = {}
    for _, target in entrypoints(service["command"]):
        allowed.update(env_names(settings_class(target)))
        allowed.update(dict.fromkeys(EXTRA_ENV.get(target, ()), None))
    return allowed


def hosts(value: str) -> list[str]:
    if "://" in value:
        return [urlsplit(value).hostname or ""]
    return [part.strip().rsplit(":", 1)[0] for part in value.split(",")]


def listens_on(service: dict[str, Any], port: int) -> bool:
    command = service["command"]
    args = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    return f"--port {port}" in " ".join(args)


APPS = sorted(app_services())


def test_compose_runs_each_service_app() -> None:
    apps = {e[1] for s in app_services().values() for e in entrypoints(s["command"])}
    assert set(SERVICE_APPS) <= apps


@pytest.mark.parametrize("name", APPS)
def test_command_refers_to_existing_module(name: str) -> None:
    found = entrypoints(app_services()[name]["command"])
    assert found, f"{name}: no `uvicorn pkg.main:app` or `python -m module` in its command"
    for kind, target in found:
        module, _, attr = target.partition(":")
        spec = importlib.util.find_spec(module)
        assert spec is not None, f"{name}: module {module} does not exist"
        if kind == "app":
            assert hasattr(importlib.import_module(module), attr), f"{name}: {target} missing"
        elif spec.submodule_search_locations is not None:
            assert importlib.util.find_spec(f"{module}.__main__"), (
                f"{name}: {module} has no __main__"
            )


@pytest.mark.parametrize("name", APPS)
def test_environment_is_read_by_settings(name: str) -> None:
    service = app_services()[name]
    unknown = {k for k in environment(service) if k.upper() not in allowed_env(service)}
    assert not unknown, f"{name} sets variables its Settings do not read: {sorted(unknown)}"


@pytest.mark.parametrize("name", APPS)
def test_addresses_point_at_compose_services(name: str) -> None:
    service, env = app_services()[name], environment(app_services()[name])
    for var, default in allowed_env(service).items():
        # A default on this machine's loopback is right for the local stack only.
        if "127.0.0.1" not in str(default):
            continue
        if any(kind == "app" for kind, _ in entrypoints(service["command"])):
            assert var in env, f"{name} leaves {var} at its local default {default}"
        if var in env:
            assert set(hosts(env[var])) <= set(compose()["services"]), f"{name}: {var}"


@pytest.mark.parametrize("name", APPS)
def test_urls_point_at_compose_services_on_their_port(name: str) -> None:
    for var, value in environment(app_services()[name]).items():
        if not value.startswith(("http://", "https://")):
            continue
        url = urlsplit(value)
        assert url.hostname in app_services(), f"{name}: {var} points outside compose: {value}"
        port = url.port or (443 if url.scheme == "https" else 80)
        assert listens_on(app_services()[url.hostname], port), f"{name}: {var}: {value}"


def test_the_delivery_worker_posts_to_the_fake_platforms_only() -> None:
    """Every platform API address the worker reads is set, to the fakes: answers posted in
    Compose must never reach a real page."""
    [worker] = [
        s
        for s in app_services().values()
        if ("app", "ingest.delivery.main:app") in entrypoints(s["command"])
    ]
    [fakes] = [
        n
        for n, s in app_services().items()
        if ("app", "tools.fake_platforms.app:create_app") in entrypoints(s["command"])
    ]
    api_urls = {v for v in allowed_env(worker) if v.endswith("_API_URL")}
    assert len(api_urls) >= 5
    env = environment(worker)
    placed = {var: hosts(env.get(var, "unset")) for var in api_urls}
    assert all(found == [fakes] for found in placed.values()), placed


@pytest.mark.parametrize("name", APPS)
def test_long_running_services_have_a_healthcheck(name: str) -> None:
    service = app_services()[name]
    if service.get("restart") == "no":  # the one-shot jobs
        return
    test = " ".join(service["healthcheck"]["test"])
    found = re.search(r"http://127\.0\.0\.1:(\d+)/health/(live|ready)", test)
    assert found, f"{name}: its healthcheck calls no /health/ URL"
    assert listens_on(service, int(found.group(1))), f"{name}: healthcheck on another port"


@pytest.mark.parametrize("name", APPS)
def test_dependencies_exist(name: str) -> None:
    depends = app_services()[name].get("depends_on") or {}
    assert set(depends) <= set(compose()["services"])


@cache
def prometheus_config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text("utf-8"))
    return loaded


def test_prometheus_scrapes_compose_services_on_their_port() -> None:
    targets = [
        (target, static.get("labels", {}))
        for job in prometheus_config()["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static["targets"]
    ]
    # What serves /metrics: the services and the delivery worker, not the tools (the fakes).
    metric_services = {
        n
        for n, s in app_services().items()
        if any(e in SERVICE_APPS for k, e in entrypoints(s["command"]) if k == "app")
    }
    scraped = set()
    for target, labels in targets:
        host, port = target.rsplit(":", 1)
        assert host in app_services(), f"Prometheus scrapes {host}, no app service in compose"
        assert listens_on(app_services()[host], int(port)), f"{host} does not listen on {port}"
        # As in Kubernetes, where it is the Deployment's app.kubernetes.io/name.
        assert labels.get("service") == host, f"{target}: service label {labels}"
        scraped.add(host)
    assert metric_services <= scraped, f"not scraped: {sorted(metric_services - scraped)}"
    for rule_file in prometheus_config().get("rule_files", []):
        assert (PROMETHEUS_DIR / rule_file).is_file()


def promql_metrics(expr: str) -> set[str]:
    """Metric names an expression selects (functions, keywords and labels left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\$\{?\w+\}?", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.:])([A-Za-z_:][\w:]*)\s*(\()?", text):
        if match.group(2) is None and match.group(1).lower() not in PROMQL_KEYWORDS:
            names.add(match.group(1))
    return names


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ('sum by (topic) (rate(a_total{x="y"}[$__rate_interval]))', {"a_total"}),
        ("histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m]))) > 1e3", {"h_bucket"}),
        ("absent(up{job='x'} == 1) or b offset 1h / on (k) group_left c", {"up", "b", "c"}),
    ],
)
def test_promql_metrics(expr: str, names: set[str]) -> None:
    assert promql_metrics(expr) == names


@cache
def defined_series() -> frozenset[str]:
    """Series names the code exports, from the registry once every metrics module is imported."""
    for module in METRICS_MODULES:
        importlib.import_module(module)
    families = {(m.name, m.type) for m in REGISTRY.collect()}
    series = {n + s for n, kind in families for s in SERIES_SUFFIXES.get(kind, ("",))}
    return frozenset(series | PROMETHEUS_SERIES)


def dashboard_exprs(panels: list[dict[str, Any]]) -> list[str]:
    exprs = []
    for panel in panels:
        exprs += [t["expr"] for t in panel.get("targets", []) if t.get("expr")]
        exprs += dashboard_exprs(panel.get("panels", []))
    return exprs


DASHBOARDS = sorted((GRAFANA_DIR / "dashboards").glob("*.json"))


def test_two_dashboards_with_distinct_uids() -> None:
    uids = [json.loads(p.read_text(encoding="utf-8"))["uid"] for p in DASHBOARDS]
    assert len(uids) >= 2 and len(set(uids)) == len(uids)


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_queries_name_defined_metrics(path: Path) -> None:
    board = json.loads(path.read_text(encoding="utf-8"))
    assert board["uid"] and board["title"]
    exprs = dashboard_exprs(board["panels"])
    assert exprs, f"{path.name} has no queries"
    for expr in exprs:
        names = promql_metrics(expr)
        assert names, f"no metric found in {expr!r}"
        assert names <= defined_series(), f"{path.name}: undefined {names - defined_series()}"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_datasource_is_a_variable_or_provisioned(path: Path) -> None:
    board = json.loads(path.read_text(encoding="utf-8"))
    provisioned = {
        d["uid"]
        for f in (GRAFANA_DIR / "provisioning" / "datasources").glob("*.yml")
        for d in yaml.safe_load(f.read_text(encoding="utf-8"))["datasources"]
    }
    variables = {v["name"] for v in board["templating"]["list"] if v["type"] == "datasource"}
    allowed = provisioned | {f"${{{v}}}" for v in variables} | {f"${v}" for v in variables}
    for panel in board["panels"]:
        if "datasource" in panel:
            assert panel["datasource"]["uid"] in allowed, f"{path.name}: {panel['title']}"


def test_grafana_mounts_what_provisioning_loads() -> None:
    grafana = compose()["services"]["grafana"]
    mounts = dict(v.split(":")[:2] for v in grafana["volumes"] if v.startswith("./"))
    providers = yaml.safe_load(
        (GRAFANA_DIR / "provisioning" / "dashboards" / "appeals.yml").read_text(encoding="utf-8")
    )["providers"]
    paths = {p["options"]["path"] for p in providers}
    assert paths <= {dst for src, dst in mounts.items() if src == "./deploy/grafana/dashboards"}
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"


def test_alert_rules_name_defined_metrics() -> None:
    rules = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text(encoding="utf-8"))
    exprs = [r["expr"] for group in rules["groups"] for r in group["rules"]]
    assert exprs
    for expr in exprs:
        names = promql_metrics(expr)
        assert names and names <= defined_series(), f"undefined {names - defined_series()}"


def test_alert_runbooks_are_headings_of_the_operations_doc() -> None:
    rules = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text(encoding="utf-8"))
    headings = re.findall(r"^#+ (.+)$", OPERATIONS_DOC.read_text(encoding="utf-8"), re.M)
    # GitHub's anchors: lower case, punctuation dropped, each space a hyphen.
    anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
    for rule in (r for group in rules["groups"] for r in group["rules"]):
        doc, _, anchor = rule["annotations"]["runbook"].partition("#")
        assert doc == "docs/operations.md" and anchor in anchors, rule["alert"]
        assert rule["alert"].lower() in anchor, f"{rule['alert']} points at #{anchor}"
