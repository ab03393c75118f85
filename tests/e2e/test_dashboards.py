"""Every query of the Grafana dashboards and the alert rules, run by a real Prometheus that
scrapes the four running services and ingest's delivery worker: each must parse and evaluate,
and the governors' panels must name agencies and topics in Russian, not by their ids."""

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import yaml

from ingest.adapters.page_registry_file import load_seed
from tests.infra import ROOT, unavailable

pytestmark = pytest.mark.e2e

DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
# The fakes of the platforms' APIs stand in for third parties and serve no /metrics.
UNSCRAPED = {"fake-platforms"}
# Grafana's variables, as a dashboard would fill them in.
VARIABLES = {"$namespace": ".*", "$__rate_interval": "1m", "$__range": "1h"}
[SITE_KEY] = load_seed(ROOT / "config" / "pages.yaml").demo_keys["site-ivanovo"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _query(base: str, expr: str) -> list[dict[str, Any]]:
    """Evaluate `expr` now; an HTTPError (400 with Prometheus's message) if it does not parse."""
    for name, value in VARIABLES.items():
        expr = expr.replace(name, value)
    answer = _get(f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    assert answer["status"] == "success", answer
    return list(answer["data"]["result"])


@pytest.fixture(scope="module")
def prometheus(
    running_services: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A Prometheus scraping the services every second, once it has scraped each of them."""
    binary = shutil.which("prometheus")
    if binary is None:  # `make install` (stack.py prepare) installs Debian's package
        unavailable("prometheus is not installed: apt-get install prometheus")
    workdir = tmp_path_factory.mktemp("prometheus")
    targets = [
        {"targets": [urllib.parse.urlsplit(url).netloc], "labels": {"service": name}}
        for name, url in running_services.items()
        if name not in UNSCRAPED
    ]
    config = {
        "global": {"scrape_interval": "1s", "external_labels": {}},
        "scrape_configs": [{"job_name": "appeals", "static_configs": targets}],
    }
    (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = _free_port()
    argv = [
        binary,
        f"--config.file={workdir / 'prometheus.yml'}",
        f"--storage.tsdb.path={workdir / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    log = (workdir / "prometheus.log").open("w")
    server = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_scrapes(base, expected=len(targets))
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_for_scrapes(base: str, *, expected: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            up = _query(base, 'sum(up{job="appeals"})')
            if up and float(up[0]["value"][1]) == expected:
                time.sleep(3)  # a few scrapes more: rate() needs two samples
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.5)
    raise AssertionError(f"Prometheus at {base} did not scrape all {expected} services in 60 s")


def _post_appeal(ingest_url: str, text: str) -> None:
    body = {
        "page_id": "site-ivanovo",
        "external_id": uuid.uuid4().hex,
        "author_id": "e2e-dashboards",
        "text": text,
        "written_at": datetime.now(UTC).isoformat(),
    }
    response = httpx.post(
        f"{ingest_url}/v1/appeals", json=body, headers={"Authorization": f"Bearer {SITE_KEY}"}
    )
    assert response.status_code == 202, response.text


def _panel_queries() -> list[tuple[str, str]]:
    queries = []
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                if "expr" in target:  # SQL panels: test_dashboard_sql.py
                    queries.append((f"{path.stem}: {panel['title']}", target["expr"]))
    return queries


def _alert_queries() -> list[tuple[str, str]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [(rule["alert"], rule["expr"]) for group in groups for rule in group["rules"]]


@pytest.mark.parametrize(("where", "expr"), _panel_queries() + _alert_queries())
def test_query_evaluates(prometheus: str, where: str, expr: str) -> None:
    try:
        _query(prometheus, expr)
    except urllib.error.HTTPError as error:
        pytest.fail(f"{where}: {error.read().decode()[:500]}")


def test_governors_see_agencies_and_topics_by_name(prometheus: str, running_services) -> None:
    governor = json.loads((ROOT / "deploy/grafana/dashboards/sla-governor.json").read_text())
    panels = {panel["title"]: panel for panel in governor["panels"]}
    by_agency = panels["Открытые обращения по ведомствам"]["targets"][0]["expr"]
    by_topic = panels["О чём пишут жители за 7 дней"]["targets"][0]["expr"]
    for text in ("Третий день холодные батареи, ул. Лежневская 120", "Яма на дороге у дома 5"):
        _post_appeal(running_services["ingest"], text)
    deadline = time.monotonic() + 60
    while not ((agencies := _query(prometheus, by_agency)) and _query(prometheus, by_topic)):
        assert time.monotonic() < deadline, "no open appeals or classified topics to show"
        time.sleep(1)
    names = {series["metric"]["agency_name"] for series in agencies}
    assert "Управление ЖКХ администрации г. Иваново" in names
    assert all(name[0].isupper() and not name.isascii() for name in names)
    topics = {series["metric"]["topic_name"] for series in _query(prometheus, by_topic)}
    assert topics and all(not name.isascii() for name in topics)
