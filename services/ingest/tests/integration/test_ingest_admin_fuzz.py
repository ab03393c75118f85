"""Property-based fuzzing of the admin API on the real database (the unit edge tests have no
registry database): near-valid and arbitrary page bodies for `POST /admin/v1/pages` and
`PUT /admin/v1/pages/{id}`. Never a 5xx; a 4xx says why in a JSON `detail` and changes
nothing; a 2xx is a page that can be read back."""

import itertools
import json
import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as examples
from hypothesis import strategies as st

# The strategies live with the unit fuzz tests, which an integration run does not collect.
sys.path.append(str(Path(__file__).resolve().parents[1] / "unit"))
from ingest_fuzz_payloads import arbitrary, near_valid

pytestmark = pytest.mark.integration

FUZZ = examples(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    # The replica is built once per test and its examples share it: on purpose.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
# Placeholders a test replaces with values no other example or run uses.
ID, EXTERNAL = "@@id@@", "@@ext@@"
PAGES = [
    {
        "id": ID,
        "platform": "vk",
        "external_id": EXTERNAL,
        "body_id": "adm-ivanovo",
        "name": "Тестовая страница",
        "territory": "24701000",
        "timezone": "Europe/Moscow",
        "secret": "fuzz-vk-secret-0001",
        "confirmation": "confirm-0001",
    },
    {
        "id": ID,
        "platform": "telegram",
        "external_id": EXTERNAL,
        "body_id": "adm-ivanovo",
        "name": "Тестовый канал",
        "secret": "fuzz-tg-secret-0001",
        "bot_id": "7000000001",
        "discussion_id": "-1002222222222",
    },
    {
        "id": ID,
        "platform": "ok",
        "external_id": EXTERNAL,
        "body_id": "adm-ivanovo",
        "name": "Тестовая группа",
        "url_token": "fuzz-ok-url-token-" + "0" * 24,
    },
]
UPDATES = [
    {"name": "Новое имя", "secret": "fuzz-vk-secret-0002", "timezone": "Asia/Yekaterinburg"},
    {"external_id": EXTERNAL, "confirmation": None, "territory": "24701000"},
]
JSON = {"Content-Type": "application/json"}
_counter = itertools.count()


def _fresh(body: bytes, unique: Callable[[str], str]) -> bytes:
    n, run = next(_counter), int(unique("x").split("-")[1], 16)  # the run's random part
    external = str(900_000_000_000 + run % 10**8 * 1000 + n % 1000)
    return body.replace(ID.encode(), unique(f"fz{n}").encode()).replace(
        EXTERNAL.encode(), external.encode()
    )


async def _check(
    admin: httpx.AsyncClient, headers: dict[str, str], response: httpx.Response
) -> None:
    event(str(response.status_code))
    assert response.status_code < 500, response.text
    if response.status_code < 300:
        page_id = response.json()["id"]
        assert (await admin.get(f"/admin/v1/pages/{page_id}", headers=headers)).status_code == 200
    else:
        assert 400 <= response.status_code < 500
        assert response.json()["detail"]


@FUZZ
@given(data=st.data())
async def test_new_pages_are_created_or_refused_never_a_500(
    admin, admin_headers, unique, cleanup, data: st.DataObject
) -> None:
    body = _fresh(data.draw(near_valid(PAGES) | arbitrary(), label="body"), unique)
    headers = {**admin_headers, **JSON}

    response = await admin.post("/admin/v1/pages", content=body, headers=headers)

    if response.status_code == 201:
        cleanup.append(response.json()["id"])
    await _check(admin, admin_headers, response)


@pytest.fixture
async def page(admin, admin_headers, unique, cleanup) -> str:  # type: ignore[no-untyped-def]
    """A VK page for the updates to change."""
    body = _fresh(json.dumps(PAGES[0]).encode(), unique)
    response = await admin.post("/admin/v1/pages", content=body, headers={**admin_headers, **JSON})
    assert response.status_code == 201, response.text
    page_id: str = response.json()["id"]
    cleanup.append(page_id)
    return page_id


@FUZZ
@given(data=st.data())
async def test_page_updates_are_applied_or_refused_never_a_500(
    admin, admin_headers, unique, page: str, data: st.DataObject
) -> None:
    body = _fresh(data.draw(near_valid(UPDATES) | arbitrary(), label="body"), unique)
    headers = {**admin_headers, **JSON}

    response = await admin.put(f"/admin/v1/pages/{page}", content=body, headers=headers)

    await _check(admin, admin_headers, response)


_QUERY_VALUES = st.one_of(
    st.text(st.characters(codec=None), max_size=40),
    st.integers().map(str),
    st.sampled_from(["vk", "api", "-1", "0", "1e3", str(2**63), str(10**30), "\x00"]),
)


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["platform", "body_id", "limit", "offset"]), _QUERY_VALUES, max_size=4
    ),
    page_id=st.text(st.characters(codec=None), min_size=1, max_size=200),
)
async def test_any_query_or_page_id_is_answered_never_a_500(
    admin, admin_headers, query: dict[str, str], page_id: str
) -> None:
    quoted = urllib.parse.quote(page_id, safe="", errors="surrogatepass")

    for response in (
        await admin.get("/admin/v1/pages", params=_encodable(query), headers=admin_headers),
        await admin.get(f"/admin/v1/pages/{quoted}", headers=admin_headers),
        await admin.get(f"/admin/v1/pages/{quoted}/api-keys", headers=admin_headers),
    ):
        event(str(response.status_code))
        assert response.status_code < 500, response.text


def _encodable(query: dict[str, str]) -> dict[str, str]:
    # httpx writes query values as UTF-8; a lone surrogate goes as its escape instead.
    return {k: v.encode("utf-8", "backslashreplace").decode() for k, v in query.items()}
