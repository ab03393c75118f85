"""Property-based fuzzing of every router endpoint of the JSON API with a token of each role,
on the real database. The requests are derived from the app's OpenAPI document
(router_fuzz_strategies.py), so a new endpoint is fuzzed without editing this file.

Properties: never a 5xx; a 4xx is JSON with a `detail` that does not repeat a marker sent in
every free-text string; a valid request by a role that may make it succeeds.
Reproducible: derandomized, no example database; fresh appeals per example.
"""

import json
import uuid
from collections.abc import AsyncIterator

import pytest
from hypothesis import event, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from router_fuzz_strategies import (
    IF_MATCH_GARBAGE,
    _minimal_body,
    _parameters,
    _string_fields,
    hostile_request,
    odd_cursors,
    valid_request,
)
from router_fuzz_support import (
    FRESH,
    FUZZ,
    MAY,
    OPERATIONS,
    OWN,
    ROLES,
    World,
    _fresh_marker,
    _headers,
    _path,
    _query,
    _unique,
    action_of,
    check,
    fill_path,
)
from router_support import act, config_version, current_version, failed_delivery, routed_appeal

from router.main import app

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("key", sorted(OPERATIONS))
@FUZZ
@given(data=st.data())
async def test_any_request_by_any_role_is_answered_never_a_500(
    world: World, key: str, data: st.DataObject
) -> None:
    request = data.draw(hostile_request(key), label="request")
    marker = _fresh_marker()
    path, appeal_id = await _path(world, key, request)
    url = f"{_unique(path, marker)}?{_unique(_query(request['query']), marker)}"
    headers = {k: _unique(v, marker) for k, v in (await _headers(request, appeal_id)).items()}
    body = _unique(request["body"], marker) if request["body"] is not None else None
    if body is not None and FRESH.encode() in body:
        into = await routed_appeal(OWN, "Та же яма, второй раз")
        body = body.replace(FRESH.encode(), str(into).encode())

    response = await world.clients[request["role"]].request(
        key.split(" ", 1)[0], url, content=body, headers=headers
    )

    check(response, marker)


@pytest.mark.parametrize("key", sorted(OPERATIONS))
@examples(FUZZ, max_examples=25)
@given(data=st.data())
async def test_a_valid_request_by_a_role_that_may_make_it_succeeds(
    world: World, key: str, data: st.DataObject
) -> None:
    request = data.draw(valid_request(key), label="request")
    method, path = key.split(" ", 1)
    role, client = request["role"], world.clients[request["role"]]
    body, appeal_id, action = request["body"], uuid.uuid4(), action_of(path)
    if "{appeal_id}" in path:
        appeal_id = await routed_appeal(OWN)
    if path.endswith("/release"):  # something to release: held by the caller
        await act(client, appeal_id, "claim")
    if path.endswith("/resume"):  # something to resume: a wait for the resident
        await act(world.clients["cur"], appeal_id, "pause", {"reason": "ждём уточнения"})
    if path.endswith("/merge"):
        body = {**body, "into": str(await routed_appeal(OWN, "Та же яма, второй раз"))}
    if "{delivery_id}" in path:  # a failed delivery of an answer, to retry or mark
        delivery_id = await failed_delivery(world.clients["cur"], appeal_id)
        path = path.replace("{delivery_id}", str(delivery_id))
    version = await (config_version(path) if action == "admin" else current_version(appeal_id))
    headers = {"If-Match": f'W/"{version}"' if request["weak"] else f'"{version}"'}
    if request["idempotency_key"]:
        headers["Idempotency-Key"] = request["idempotency_key"]
    path = path.replace("{appeal_id}", request["appeal_form"](appeal_id))
    path = path.replace("{agency_id}", request["agency"]).replace("{body_id}", request["agency"])
    path = path.replace("{version}", "1")

    response = await client.request(
        method, path, params=request["query"], json=body, headers=headers
    )

    # `force` frees another's claim, which only the ЦУР may: staff get 403 even on their own.
    force = isinstance(body, dict) and body.get("force")
    event(f"{role} {response.status_code}")
    if action == "admin" and action in MAY[role]:
        # A document drawn from the schema rarely checks against the directory (a parent that
        # is not there, a page taken): refused whole, never half-stored.
        assert 200 <= response.status_code < 300 or response.status_code == 422, response.text
    elif action in MAY[role] and not (force and role == "staff"):
        assert 200 <= response.status_code < 300, response.text
    else:
        assert response.status_code in (403, 404), response.text


# --- the JSON API: explicit cases in every field --------------------------------------------

BAD_TEXT = {"NUL": "\\u0000", "lone surrogate": "\\ud800", "reversed pair": "\\udc00\\ud800"}


@pytest.mark.parametrize("bad", list(BAD_TEXT))
@pytest.mark.parametrize(("key", "field"), sorted(_string_fields()))
async def test_a_nul_or_surrogate_in_any_string_field_is_422_for_every_role(
    world: World, key: str, field: str, bad: str
) -> None:
    method, path = key.split(" ", 1)
    body = _minimal_body(key, field)
    for role in ROLES:
        appeal_id, marker = await routed_appeal(OWN), _fresh_marker()
        text = json.dumps({**body, field: "@@"}).replace('"@@"', f'"{marker}{BAD_TEXT[bad]}"')
        version = await current_version(appeal_id)
        response = await world.clients[role].request(
            method,
            fill_path(path, appeal_id),
            content=text.encode(),
            headers={"Content-Type": "application/json", "If-Match": f'"{version}"'},
        )
        # Only administrators get as far as the body of an admin operation.
        refused = 403 if action_of(path) == "admin" and "admin" not in MAY[role] else 422
        assert response.status_code == refused, (role, response.text)
        check(response, marker)
        assert await current_version(appeal_id) == version


# --- the JSON API: cursors, versions, sizes ------------------------------------------------

LISTINGS = sorted(k for k, o in OPERATIONS.items() if "cursor" in _parameters(o, "query"))
VERSIONED = sorted(  # an appeal's; the admin API's versions: test_router_admin_api.py
    k
    for k, o in OPERATIONS.items()
    if "if-match" in _parameters(o, "header") and "{appeal_id}" in k
)


@pytest.mark.parametrize("key", LISTINGS)
@FUZZ
@given(role=st.sampled_from(list(ROLES)), cursor=odd_cursors() | st.text(max_size=600))
async def test_any_cursor_is_a_page_or_a_422_never_a_500(
    world: World, key: str, role: str, cursor: str
) -> None:
    path = key.split(" ", 1)[1].replace("{agency_id}", OWN)

    response = await world.clients[role].get(f"{path}?{_query([('cursor', cursor)])}")

    check(response)
    assert response.status_code in (200, 403, 422), response.text


# Versions as people and proxies write them, digits Python's isdigit() takes but int() does
# not (Latin-1's superscripts) among them.
IF_MATCH_TEXT = st.text(st.sampled_from('0123456789²³¹W/"*, -.a'), max_size=12)


@pytest.mark.parametrize("key", VERSIONED)
@examples(FUZZ, max_examples=40)
@given(
    if_match=st.sampled_from(IF_MATCH_GARBAGE)
    | IF_MATCH_TEXT.map(lambda t: t.encode("latin-1"))
    | st.binary(max_size=70)
)
async def test_any_if_match_is_a_precondition_answer_never_a_500(
    world: World, key: str, if_match: bytes
) -> None:
    appeal_id = await routed_appeal(OWN)
    path = key.split(" ", 1)[1].replace("{appeal_id}", str(appeal_id))

    response = await world.clients["cur"].post(
        path,
        json=_minimal_body(key),
        headers={"If-Match": if_match},  # type: ignore[dict-item]
    )

    check(response)
    assert response.status_code in (200, 201, 409, 412, 422, 428), response.text


def _oversize(size: int) -> AsyncIterator[bytes]:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(size // 8192):
            yield b" " * 8192

    return chunks()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("key", sorted(OPERATIONS))
async def test_a_body_over_the_limit_is_413_on_every_endpoint(
    world: World, key: str, declared: bool
) -> None:
    method, path = key.split(" ", 1)
    path = fill_path(path, uuid.uuid4())
    settings = app.state.service.settings
    limit = settings.admin_max_body_bytes if action_of(path) == "admin" else settings.max_body_bytes
    size = limit + 8192
    headers = {"Content-Type": "application/json", "If-Match": '"1"'}
    if declared:
        headers["Content-Length"] = str(size)

    response = await world.clients["cur"].request(
        method, path, content=_oversize(size), headers=headers
    )

    assert response.status_code == 413, response.text
    check(response)
