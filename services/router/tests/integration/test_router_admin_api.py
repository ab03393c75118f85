"""The admin API on the real service and database: imports of the directory (YAML and CSV,
dry run first), one body edited, a rule set tried on recent appeals and published, every
version kept with who, when and why; a broken import refused with its line and nothing
stored; only administrators may call any of it."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import yaml
from router_support import caller, routed_appeal, router_app

from router.adapters import config_store
from router.main import app

pytestmark = pytest.mark.integration

ADMIN_PATHS = sorted(
    (method.upper(), path)
    for path, operations in app.openapi()["paths"].items()
    if path.startswith("/v1/admin/")
    for method in operations
)
SCHOOL_CSV = (
    "id,name,kind,parent,territory,competences,number,address,pages,head_name,head_position\n"
    "ivanovo-school-{n},МБОУ «Средняя школа № {n}»,school,ivanovo-education,24701000,"
    'education.schools,{n},"г. Иваново, ул. Садовая, д. 3",,Петрова Анна Сергеевна,директор\n'
)


@pytest.fixture(scope="module")
async def clients(infra, identity) -> AsyncIterator[dict[str, httpx.AsyncClient]]:  # type: ignore[no-untyped-def]
    claims = {
        "admin": {"roles": ("admin",)},
        "staff": {"roles": ("agency_staff",), "agencies": ("ivanovo-roads",)},
        "cur": {"roles": ("cur_operator",)},
        "governor": {"roles": ("governor_office",)},
    }
    async with router_app():
        async with _sessions()() as session:
            documents = {k: await config_store.latest(session, k) for k in ("directory", "rules")}
        made = {who: identity.token(sub=f"test-{who}", **c) for who, c in claims.items()}
        callers = {who: caller({"Authorization": f"Bearer {t}"}) for who, t in made.items()}
        yield callers
        for client in callers.values():
            await client.aclose()
        await _put_back(documents)  # leave the shared database as the other tests expect it


def _sessions():  # type: ignore[no-untyped-def]
    return app.state.service.deps.sessions


async def _put_back(documents: dict[str, config_store.StoredVersion | None]) -> None:
    from router.routing_setup import refresh

    async with _sessions()() as session, session.begin():
        for kind, stored in documents.items():
            assert stored is not None
            now = await config_store.latest(session, kind)  # type: ignore[arg-type]
            if now is not None and now.document != stored.document:
                await config_store.add(
                    session, kind, expected=now.version, actor="test", comment="назад",  # type: ignore[arg-type]
                    document=stored.document, changed="[]",
                )  # fmt: skip
    await refresh(app.state.service.deps.setup, _sessions())


async def _latest(kind: str) -> config_store.StoredVersion:
    async with _sessions()() as session:
        stored = await config_store.latest(session, kind)  # type: ignore[arg-type]
    assert stored is not None
    return stored


def _unique_number() -> int:
    return 500 + uuid.uuid4().int % 9000


@pytest.mark.parametrize("role", ["staff", "cur", "governor"])
async def test_nobody_but_an_administrator_may_call_the_admin_api(
    clients: dict[str, httpx.AsyncClient], role: str
) -> None:
    for method, path in ADMIN_PATHS:
        url = path.replace("{version}", "1").replace("{body_id}", "ivanovo-roads")
        response = await clients[role].request(method, url, json={"document": "x"})
        assert response.status_code == 403, (method, path, response.text)
    anonymous = await caller({}).get("/v1/admin/directory/versions")
    assert anonymous.status_code == 401


async def test_a_csv_import_is_checked_by_a_dry_run_then_stored_as_a_new_version(
    clients: dict[str, httpx.AsyncClient],
) -> None:
    admin, n = clients["admin"], _unique_number()
    before = await _latest("directory")
    request = {"format": "csv", "document": SCHOOL_CSV.format(n=n), "comment": "новая школа"}

    tried = await admin.post("/v1/admin/directory/import", json=request)
    assert tried.status_code == 200, tried.text
    assert tried.json()["changes"]["added"] == [f"ivanovo-school-{n}"]
    assert tried.json()["version"] is None
    assert (await _latest("directory")).version == before.version  # a dry run stores nothing

    store = {**request, "dry_run": False}
    unversioned = await admin.post("/v1/admin/directory/import", json=store)
    stale = await admin.post(
        "/v1/admin/directory/import", json=store, headers={"If-Match": f'"{before.version - 1}"'}
    )
    stored = await admin.post(
        "/v1/admin/directory/import", json=store, headers={"If-Match": f'"{before.version}"'}
    )

    assert unversioned.status_code == 428
    assert stale.status_code == 412
    assert stored.status_code == 200, stored.text
    assert stored.json()["version"] == before.version + 1
    school = app.state.service.deps.directory.get(f"ivanovo-school-{n}")
    assert school is not None and school.head is not None  # routed by at once
    assert school.head.position == "директор" and school.number == n
    history = (
        await admin.get("/v1/admin/directory/versions", params={"changed": school.id})
    ).json()
    assert [v["version"] for v in history] == [before.version + 1]
    assert history[0]["comment"] == "новая школа" and "test-admin" in history[0]["actor"]
    document = (await admin.get(f"/v1/admin/directory/versions/{before.version + 1}")).json()
    assert f"id: ivanovo-school-{n}" in document["document"]


BROKEN = {
    "an unknown kind": ("csv", "id,name,kind\nok-one,Одна,school\nbad-one,Другая,castle\n", 3),
    "an unknown topic": (
        "yaml",
        "bodies:\n  - id: new-body\n    name: Новое\n    kind: school\n"
        "    competences: [education.nowhere]\n",
        2,
    ),
    "a cycle in parents": (
        "csv",
        "id,name,kind,parent\ncycle-a,А,school,cycle-b\ncycle-b,Б,school,cycle-a\n",
        2,
    ),
    "a duplicate OKTMO": (
        "csv",
        "id,name,kind,territory\ntwin-town,Двойник,municipality,24701000\n",
        2,
    ),
    "a missing parent": ("csv", "id,name,kind,parent\norphan,Сирота,school,no-such-body\n", 2),
    "a bad time zone": ("csv", "id,name,kind,timezone\nzoned,Пояс,school,Mars/Olympus\n", 2),
    "the same id twice": ("csv", "id,name,kind\ntwice,Раз,school\ntwice,Два,school\n", 3),
}


@pytest.mark.parametrize("case", list(BROKEN))
async def test_a_broken_import_is_refused_naming_its_line_and_nothing_is_stored(
    clients: dict[str, httpx.AsyncClient], case: str
) -> None:
    fmt, document, line = BROKEN[case]
    before = await _latest("directory")

    response = await clients["admin"].post(
        "/v1/admin/directory/import",
        json={"format": fmt, "document": document, "dry_run": False},
        headers={"If-Match": f'"{before.version}"'},
    )

    assert response.status_code == 422, response.text
    assert f"import:{line}:" in response.json()["detail"], response.json()
    assert (await _latest("directory")).version == before.version


async def test_a_directory_that_drops_a_body_the_rules_name_is_refused(
    clients: dict[str, httpx.AsyncClient],
) -> None:
    before = await _latest("directory")
    data = yaml.safe_load(before.document)
    data["bodies"] = [b for b in data["bodies"] if b["id"] != "region-mchs"]  # a rule names it

    response = await clients["admin"].post(
        "/v1/admin/directory/import",
        json={"mode": "replace", "document": yaml.safe_dump(data, allow_unicode=True)},
    )

    assert response.status_code == 422
    assert "rules in use would no longer load" in response.json()["detail"]
    assert "region-mchs" in response.json()["detail"]


async def test_one_body_is_read_edited_and_kept_in_the_history(
    clients: dict[str, httpx.AsyncClient],
) -> None:
    admin = clients["admin"]
    read = await admin.get("/v1/admin/directory/bodies/ivanovo-roads")
    assert read.status_code == 200, read.text
    body = read.json()
    body["head"] = {**body["head"], "name": "Новиков Пётр Ильич"}

    mismatched = await admin.put(
        "/v1/admin/directory/bodies/ivanovo-culture", json=body,
        headers={"If-Match": read.headers["ETag"]},
    )  # fmt: skip
    edited = await admin.put(
        "/v1/admin/directory/bodies/ivanovo-roads", json=body,
        headers={"If-Match": read.headers["ETag"]},
    )  # fmt: skip
    again = await admin.put(  # the version it saw is stale now
        "/v1/admin/directory/bodies/ivanovo-roads", json=body,
        headers={"If-Match": read.headers["ETag"]},
    )  # fmt: skip

    assert mismatched.status_code == 422
    assert edited.status_code == 200, edited.text
    assert edited.json()["changes"] == {"added": [], "changed": ["ivanovo-roads"], "removed": []}
    head = app.state.service.deps.directory.get("ivanovo-roads").head  # type: ignore[union-attr]
    assert head is not None and head.name == "Новиков Пётр Ильич"
    assert again.status_code == 412
    assert again.headers["ETag"] == edited.headers["ETag"]


async def test_a_rule_set_is_tried_on_recent_appeals_and_published_only_after(
    clients: dict[str, httpx.AsyncClient],
) -> None:
    admin, marker = clients["admin"], f"метка{uuid.uuid4().hex[:8]}"
    moved = {await routed_appeal("ivanovo-roads", f"Яма у дома 5, {marker}") for _ in range(3)}
    current = await _latest("rules")
    rules = yaml.safe_load(current.document)
    rule = {"id": "marker-culture", "description": "проверка", "when": {"text_any": [marker]},
            "then_body": "ivanovo-culture"}  # fmt: skip
    document = yaml.safe_dump({"rules": [rule, *rules["rules"]]}, allow_unicode=True)

    tried = await admin.post("/v1/admin/rules/dry-run", json={"document": document, "limit": 200})
    assert tried.status_code == 200, tried.text
    trial = tried.json()
    assert trial["changed"] >= 3 and trial["by_rule"]["marker-culture"] >= 3
    examples = {e["appeal_id"]: e for e in trial["examples"]}
    assert {str(a) for a in moved} <= set(examples)
    assert examples[str(next(iter(moved)))]["proposed"] == "ivanovo-culture"

    unseen = await admin.post(
        "/v1/admin/rules", json={"document": document, "dry_run_digest": "0" * 64},
        headers={"If-Match": f'"{current.version}"'},
    )  # fmt: skip
    published = await admin.post(
        "/v1/admin/rules", json={"document": document, "dry_run_digest": trial["digest"]},
        headers={"If-Match": f'"{current.version}"'},
    )  # fmt: skip

    assert unseen.status_code == 422
    assert published.status_code == 201, published.text
    assert published.json() == {"version": current.version + 1}
    stored = yaml.safe_load((await _latest("rules")).document)
    assert stored["version"] == current.version + 1 and "test-admin" in stored["published_by"]
    assert app.state.service.deps.setup.versions.rules == current.version + 1


async def test_a_rule_naming_a_missing_body_is_refused_with_its_line(
    clients: dict[str, httpx.AsyncClient],
) -> None:
    document = (
        "rules:\n  - id: fine\n    description: дороги\n    when: {topics: [roads.*]}\n"
        "    then_body: ivanovo-roads\n"
        "  - id: lost\n    description: потерянный\n    when: {topics: [roads.*]}\n"
        "    then_body: no-such-body\n"
    )

    response = await clients["admin"].post("/v1/admin/rules/dry-run", json={"document": document})

    assert response.status_code == 422
    assert "rules:6:" in response.json()["detail"] and "no-such-body" in response.json()["detail"]
