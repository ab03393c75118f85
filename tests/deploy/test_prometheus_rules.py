"""The alert rules load in a real Prometheus and pass their unit tests (`promtool`)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.infra import unavailable

PROMETHEUS_DIR = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("promtool") is None:  # `make install` (stack.py prepare) installs it
        unavailable("promtool is not installed: apt-get install prometheus")
    return subprocess.run(
        ["promtool", *args], cwd=PROMETHEUS_DIR, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ("check", "rules", "alerts.yml"),
        ("test", "rules", "alerts.test.yml"),
        # The compose one; Debian's promtool lacks Kubernetes discovery (docs/operations.md).
        ("check", "config", "--syntax-only", "prometheus.yml"),
    ],
    ids=lambda args: " ".join(args),
)
def test_promtool_accepts(args: tuple[str, ...]) -> None:
    result = _promtool(*args)
    assert result.returncode == 0, result.stdout + result.stderr
