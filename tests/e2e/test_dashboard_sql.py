"""The governor's SQL panels, run as Grafana would against the real database the SLA monitor
writes (the shared test database, with whatever appeals the other tests left): each must run
and name its columns in Russian."""

import json
from typing import Any

import asyncpg
import pytest

from tests.infra import ROOT

pytestmark = pytest.mark.e2e

DASHBOARDS = sorted((ROOT / "deploy" / "grafana" / "dashboards").glob("*.json"))


def _sql_panels() -> list[tuple[str, str]]:
    found = []
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text(encoding="utf-8"))["panels"]:
            for target in panel.get("targets", []):
                if target.get("rawSql"):
                    found.append((f"{path.stem}: {panel['title']}", target["rawSql"]))
    return found


def test_the_governor_has_sql_panels() -> None:
    assert len(_sql_panels()) >= 3


@pytest.mark.parametrize(("where", "sql"), _sql_panels())
async def test_a_sql_panel_runs_against_the_real_database(infra: Any, where: str, sql: str) -> None:
    url = infra.database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url)
    try:
        statement = await connection.prepare(sql)
        rows = await statement.fetch()
        columns = [attribute.name for attribute in statement.get_attributes()]
    finally:
        await connection.close()

    assert columns and all(not name.isascii() for name in columns), (where, columns)
    assert all(len(row) == len(columns) for row in rows)
