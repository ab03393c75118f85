"""The directory and the rules live in PostgreSQL, every version kept: a new stored version is
routed by without a restart, an appeal keeps the version it was routed under, and a stored
version this code refuses leaves the running one in place."""

import uuid
from collections.abc import AsyncIterator

import pytest
from router_support import classified_event, router_app

from router.adapters import config_store
from router.adapters.repository import get_assignment
from router.handlers import handle_appeal_classified
from router.main import app
from router.routing_setup import refresh

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


def _deps():  # type: ignore[no-untyped-def]
    return app.state.service.deps


async def _store(kind: str, document: str, comment: str) -> int:
    sessions = _deps().sessions
    async with sessions() as session, session.begin():
        current = await config_store.latest(session, kind)  # type: ignore[arg-type]
        assert current is not None, "seeded at start"
        stored = await config_store.add(
            session, kind, expected=current.version, actor="test",  # type: ignore[arg-type]
            comment=comment, document=document, changed="[]",
        )  # fmt: skip
    assert stored is not None
    return stored


async def _latest_document(kind: str) -> str:
    async with _deps().sessions() as session:
        current = await config_store.latest(session, kind)  # type: ignore[arg-type]
    assert current is not None
    return current.document


async def test_the_service_routes_by_the_stored_versions(running) -> None:  # type: ignore[no-untyped-def]
    setup = _deps().setup
    async with _deps().sessions() as session:
        numbers = await config_store.latest_numbers(session)

    assert setup.versions.directory == numbers["directory"] >= 1
    assert setup.versions.rules == numbers["rules"] >= 1
    assert setup.directory.version == f"v{numbers['directory']}"


async def test_a_new_version_is_picked_up_and_kept_with_each_appeal(running) -> None:  # type: ignore[no-untyped-def]
    deps = _deps()
    document = await _latest_document("directory")
    renamed = document.replace(
        "name: Управление благоустройства и дорожного хозяйства г. Иваново",
        "name: Управление благоустройства и дорог г. Иваново",
    )
    assert renamed != document
    version = await _store("directory", renamed, "переименование")

    assert await refresh(deps.setup, deps.sessions) is True
    event = classified_event(f"яма на дороге ({uuid.uuid4().hex[:6]})", "roads.repair")
    await handle_appeal_classified(event, deps)
    async with deps.sessions() as session:
        row = await get_assignment(session, event.payload.appeal.appeal_id)

    assert deps.directory.version == f"v{version}"
    assert row is not None and row["directory_version"] == f"v{version}"
    assert deps.directory.get("ivanovo-roads").name.endswith("и дорог г. Иваново")  # type: ignore[union-attr]
    await _store("directory", document, "назад")  # leave the shared database as it was
    assert await refresh(deps.setup, deps.sessions) is True


async def test_a_stored_version_this_code_refuses_keeps_the_running_one(running) -> None:  # type: ignore[no-untyped-def]
    deps = _deps()
    before = deps.setup.versions
    good = await _latest_document("rules")
    await _store("rules", "rules:\n  - id: x\n    when: {topics: [nowhere.topic]}\n", "сломано")

    assert await refresh(deps.setup, deps.sessions) is False
    assert deps.setup.versions == before
    await _store("rules", good, "исправлено")
    assert await refresh(deps.setup, deps.sessions) is True
