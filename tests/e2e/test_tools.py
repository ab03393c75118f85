"""The operator tools the README names, run as a person would against the running services."""

import json
import subprocess
import sys

import pytest

from tests.infra import ROOT

pytestmark = pytest.mark.e2e


def _run_tool(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_demo_routes_its_batch_and_records_the_answers(infra, running_services) -> None:
    urls = running_services
    result = _run_tool(
        "demo.py",
        f"--ingest-url={urls['ingest']}",
        f"--classifier-url={urls['classifier']}",
        f"--router-url={urls['router']}",
        f"--sla-url={urls['sla-monitor']}",
        f"--idp-url={infra.idp_url}",
        "--timeout=90",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "══ Управление ЖКХ администрации г. Иваново (ivanovo-zhkh)" in out
    assert "══ Не обращения (в очереди не попадают)" in out
    assert "══ Ответы через рабочую очередь ведомства" in out
    # Each answer says where it went; a VK appeal's is a reply on the (fake) platform.
    assert out.count("ответ жителю: ") == 2
    assert "ответ жителю: опубликован на площадке: https://vk.com/" in out, out
    assert f"{urls['router']}/console/" in out
    assert "roads-staff: ey" in out  # a token for each demo role


def test_bench_pushes_every_appeal_to_routed(infra, running_services) -> None:
    result = _run_tool(
        "bench.py",
        "-n=60",
        "--concurrency=6",
        "--mode=vk",
        "--json",
        f"--ingest-url={running_services['ingest']}",
        f"--kafka={infra.kafka_bootstrap_servers}",
        "--timeout=120",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert (figures["ingest"]["ok"], figures["ingest"]["failed"]) == (60, 0)
    assert (figures["routed"]["ok"], figures["routed"]["failed"]) == (60, 0)
    assert figures["routed"]["p99_ms"] is not None
