"""The domain decides; it does no I/O. Nothing under ingest/domain imports a web framework,
a broker or database client, or reads files."""

import ast
from pathlib import Path

import pytest

import ingest.domain

DOMAIN = Path(ingest.domain.__file__).parent
FORBIDDEN = {"fastapi", "starlette", "aiokafka", "sqlalchemy", "asyncpg", "httpx", "yaml"}
MODULES = sorted(DOMAIN.rglob("*.py"))


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_there_are_domain_modules_to_check() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_a_domain_module_imports_no_io(path: Path) -> None:
    assert imported_roots(path) & FORBIDDEN == set()
