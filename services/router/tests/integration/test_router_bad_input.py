"""Hostile input the router must refuse with the right 4xx, never a 500, against the real
service: NUL and lone surrogates in text, 64-bit overflows, oversized bodies (refused before
they are read), missing or garbage If-Match, malformed cursors, impossible targets. No error
body repeats what was sent (it may be personal data): each case carries a unique marker."""

import base64
import json
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from router_support import (
    act,
    caller,
    current_version,
    failed_delivery,
    routed_appeal,
    router_app,
)

from router.main import app

pytestmark = pytest.mark.integration

OWN = "ivanovo-roads"
VERSIONED = (
    *("claim", "release", "answer", "reassign", "return", "not-appeal", "merge"),
    *("pause", "resume"),
)


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")
        env.setenv("ROUTER_SLA_URL", "http://127.0.0.1:9")  # the card's SLA: refused at once
        async with router_app():
            yield


@pytest.fixture
async def operator(running, identity) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A ЦУР operator: may do everything, on every agency's appeals."""
    async with caller(identity.headers(roles=("cur_operator",))) as client:
        yield client


def marker() -> str:
    return f"mk{uuid.uuid4().hex[:12]}"


def refused(response: httpx.Response, status: int, *sent: str) -> None:
    """The status, a JSON `detail` that says why, and none of the text that was sent."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]
    for text in sent:
        assert text not in response.text


async def post_raw(
    client: httpx.AsyncClient, appeal_id: uuid.UUID, action: str, body: str, **headers: str
) -> httpx.Response:
    """A body as written (JSON's `\\u0000` and `\\ud800` escapes stay escapes)."""
    version = await current_version(appeal_id)
    return await client.post(
        f"/v1/appeals/{appeal_id}/{action}",
        content=body.encode(),
        headers={"Content-Type": "application/json", "If-Match": f'"{version}"', **headers},
    )


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\udfff"])
@pytest.mark.parametrize(
    ("action", "template"),
    [
        ("answer", '{"text": "%s"}'),
        ("reassign", '{"agency_id": "ivanovo-zhkh", "comment": "%s"}'),
        ("reassign", '{"agency_id": "ivanovo-zhkh", "topic": "roads.%s"}'),
        ("return", '{"comment": "%s"}'),
        ("not-appeal", '{"comment": "%s"}'),
        ("notes", '{"text": "%s"}'),
    ],
)
async def test_a_nul_or_lone_surrogate_in_text_is_422_and_changes_nothing(
    operator: httpx.AsyncClient, action: str, template: str, escape: str
) -> None:
    appeal_id, mark = await routed_appeal(OWN), marker()
    before = await current_version(appeal_id)

    response = await post_raw(operator, appeal_id, action, template % f"{mark}{escape}{mark}")

    refused(response, 422, mark)
    assert await current_version(appeal_id) == before
    card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()
    assert card["notes"] == card["answers"] == []


@pytest.mark.parametrize("limit", ["9223372036854775808", "-1", "0", "1e3", "١٢", "²"])
@pytest.mark.parametrize("path", ["/v1/appeals", f"/v1/queues/{OWN}"])
async def test_a_limit_out_of_range_or_not_a_number_is_422(
    operator: httpx.AsyncClient, path: str, limit: str
) -> None:
    refused(await operator.get(path, params={"limit": limit}), 422, limit)


def _parts(cursor: str) -> list[Any]:
    parts: list[Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return parts


def _cursor(parts: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


def _kind(part: object) -> str:
    """What a part of a cursor is: `id`, `time`, `flag`, or `other`."""
    if isinstance(part, bool):
        return "flag"
    for kind, parse in (("id", uuid.UUID), ("time", datetime.fromisoformat)):
        try:
            parse(part)  # type: ignore[operator]
            return kind
        except (TypeError, ValueError, AttributeError):
            pass
    return "other"


def _swap(kind: str, value: object) -> Callable[[list[Any]], str]:
    """Every part of that kind replaced by `value`."""
    return lambda parts: _cursor([value if _kind(p) == kind else p for p in parts])


# Made from a cursor the API gave out, so that they follow its format as it changes.
BAD_CURSORS: dict[str, Callable[[list[Any]], str]] = {
    "not base64": lambda _: "!!!",
    "not json": lambda _: base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    "one part short": lambda parts: _cursor(parts[:-1]),
    "one part more": lambda parts: _cursor([*parts, "x"]),
    "an object": lambda parts: _cursor(dict(enumerate(parts))),
    "a flag a number": _swap("flag", 1),
    "an id a number": _swap("id", 12345),
    "an id a list": _swap("id", [str(uuid.uuid4())]),
    "an id null": _swap("id", None),
    "a time a number": _swap("time", 1_780_000_000),
    "a time without zone": _swap("time", "2026-01-10T09:15:00"),
    "year 1 east of UTC": _swap("time", "0001-01-01T00:00:00+14:00"),
    "year 9999 west of UTC": _swap("time", "9999-12-31T23:59:59-14:00"),
    "over 512 characters": lambda parts: _cursor([*parts, "x" * 600]),
}


@pytest.fixture(scope="module")
async def given_cursor(running, identity) -> list[Any]:  # type: ignore[no-untyped-def]
    """The parts of a cursor the API gave out (the shared database holds many appeals)."""
    await routed_appeal(OWN)
    await routed_appeal(OWN)
    async with caller(identity.headers(roles=("cur_operator",))) as client:
        page = await client.get("/v1/appeals", params={"status": "all", "limit": 1})
    assert page.status_code == 200, page.text
    return _parts(page.json()["next_cursor"])


def test_the_cursor_has_each_kind_of_part_the_cases_change(given_cursor: list[Any]) -> None:
    assert {"id", "time", "flag"} <= {_kind(p) for p in given_cursor}


@pytest.mark.parametrize("path", ["/v1/appeals", f"/v1/queues/{OWN}"])
@pytest.mark.parametrize("name", list(BAD_CURSORS))
async def test_a_malformed_cursor_is_422(
    operator: httpx.AsyncClient, given_cursor: list[Any], path: str, name: str
) -> None:
    cursor = BAD_CURSORS[name](given_cursor)
    refused(await operator.get(path, params={"cursor": cursor}), 422)


def _limit() -> int:
    limit: int = app.state.service.settings.max_body_bytes  # ROUTER_MAX_BODY_BYTES
    return limit


def _chunks(size: int, read: list[int], chunk: int = 8192) -> AsyncIterator[bytes]:
    """`size` bytes of a JSON document, counting in `read` what the server took."""

    async def stream() -> AsyncIterator[bytes]:
        body = b'{"text": "' + b"x" * (size - 12) + b'"}'
        for at in range(0, len(body), chunk):
            read.append(len(body[at : at + chunk]))
            yield body[at : at + chunk]

    return stream()


@pytest.mark.parametrize("action", [*VERSIONED, "notes"])
async def test_a_body_over_the_limit_is_413_before_it_is_read(
    operator: httpx.AsyncClient, action: str
) -> None:
    appeal_id, limit = await routed_appeal(OWN), _limit()
    url, version = f"/v1/appeals/{appeal_id}/{action}", await current_version(appeal_id)
    headers = {"Content-Type": "application/json", "If-Match": f'"{version}"'}
    declared: list[int] = []
    chunked: list[int] = []

    with_length = await operator.post(
        url,
        content=_chunks(limit * 4, declared),
        headers={**headers, "Content-Length": str(limit * 4)},
    )
    without_length = await operator.post(url, content=_chunks(limit * 4, chunked), headers=headers)

    refused(with_length, 413)
    assert declared == []  # refused on the declared length alone
    refused(without_length, 413)
    assert sum(chunked) <= limit + 8192  # stopped reading one chunk past the limit
    assert await current_version(appeal_id) == version


async def test_a_body_exactly_at_the_limit_is_read(operator: httpx.AsyncClient) -> None:
    appeal_id = await routed_appeal(OWN)
    body = json.dumps({"text": "з" * 4_000}).encode()  # a valid note, padded to the limit
    body = body[:-1] + b" " * (_limit() - len(body)) + b"}"
    response = await operator.post(
        f"/v1/appeals/{appeal_id}/notes",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert len(body) == _limit()
    assert response.status_code == 201, response.text


BODIES: dict[str, dict[str, object]] = {
    "answer": {"text": "Яму заделают до пятницы"},
    "reassign": {"agency_id": "ivanovo-zhkh"},
    "return": {"comment": "не наше"},
    "not-appeal": {},
    "pause": {"reason": "ждём номер дома"},
}


async def _body(action: str) -> dict[str, object]:
    if action == "merge":
        return {"into": str(await routed_appeal(OWN, "Та же яма, второй раз"))}
    return BODIES.get(action, {})


@pytest.mark.parametrize("action", VERSIONED)
async def test_a_change_without_if_match_is_428(operator: httpx.AsyncClient, action: str) -> None:
    appeal_id = await routed_appeal(OWN)
    before = await current_version(appeal_id)

    response = await operator.post(f"/v1/appeals/{appeal_id}/{action}", json=await _body(action))

    refused(response, 428)
    assert await current_version(appeal_id) == before


# Whatever is not a version number (or is one past 32 bits) stands for a version no appeal
# has: 412 with the appeal as it is now and its ETag, so the caller can retry with that.
GARBAGE_IF_MATCH = [
    '"abc"',
    "abc",
    "*",
    '""',
    "",
    '"-1"',
    '"1.0"',
    'W/"abc"',
    '"1", "2"',
    '"' + "9" * 40 + '"',
    '"9223372036854775808"',
    '"²"',  # Latin-1 superscript two: str.isdigit() says yes, int() says no
    '"¹"',
    '"\x00"',
]


@pytest.mark.parametrize("if_match", GARBAGE_IF_MATCH)
@pytest.mark.parametrize("action", VERSIONED)
async def test_garbage_if_match_is_412_with_the_current_appeal(
    operator: httpx.AsyncClient, action: str, if_match: str
) -> None:
    appeal_id = await routed_appeal(OWN)
    before = await current_version(appeal_id)
    if action == "release":  # something to release
        assert (await act(operator, appeal_id, "claim")).status_code == 200
        before += 1

    response = await operator.post(
        f"/v1/appeals/{appeal_id}/{action}",
        json=await _body(action),
        headers={"If-Match": if_match.encode("latin-1")},  # type: ignore[dict-item]
    )

    refused(response, 412)
    assert response.json()["detail"]["current"]["version"] == before
    assert response.headers["ETag"] == f'"{before}"'
    assert await current_version(appeal_id) == before


@pytest.mark.parametrize("if_match", ['"' + "1" * 100 + '"', "1" * 100, "W/" + '"2"' * 30])
async def test_an_if_match_over_64_characters_is_422(
    operator: httpx.AsyncClient, if_match: str
) -> None:
    appeal_id = await routed_appeal(OWN)
    response = await operator.post(f"/v1/appeals/{appeal_id}/claim", headers={"If-Match": if_match})
    refused(response, 422, if_match)


async def test_a_weak_if_match_with_the_current_version_is_accepted(
    operator: httpx.AsyncClient,
) -> None:
    appeal_id = await routed_appeal(OWN)
    version = await current_version(appeal_id)
    response = await operator.post(
        f"/v1/appeals/{appeal_id}/claim", headers={"If-Match": f'W/"{version}"'}
    )
    assert response.status_code == 200, response.text


async def test_a_reassignment_to_an_unknown_agency_is_422(operator: httpx.AsyncClient) -> None:
    appeal_id, mark = await routed_appeal(OWN), marker()
    before = await current_version(appeal_id)

    response = await act(operator, appeal_id, "reassign", {"agency_id": f"no-such-{mark}"})

    refused(response, 422, mark)
    assert await current_version(appeal_id) == before


async def test_a_merge_into_itself_or_nowhere_is_422(operator: httpx.AsyncClient) -> None:
    appeal_id = await routed_appeal(OWN)
    before = await current_version(appeal_id)

    into_itself = await act(operator, appeal_id, "merge", {"into": str(appeal_id)})
    into_nowhere = await act(operator, appeal_id, "merge", {"into": str(uuid.uuid4())})

    refused(into_itself, 422)
    refused(into_nowhere, 422)
    assert await current_version(appeal_id) == before


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "%s"',  # cut short
        '{"text": "%s", "text": 1}',
        '["%s"]',
        '"%s"',
        '{"text": "%s", "extra": true}',
        '{"text": {"$gt": "%s"}}',
        '{"text": ["%s"]}',
        "%s",
        '{"text": "%s"}\x00',
        '{"a":' * 2_000 + '"%s"' + "}" * 2_000,
        "[" * 30_000 + '"%s"' + "]" * 30_000,
    ],
)
async def test_malformed_json_is_a_4xx_that_does_not_repeat_it(
    operator: httpx.AsyncClient, body: str
) -> None:
    appeal_id, mark = await routed_appeal(OWN), marker()
    response = await post_raw(operator, appeal_id, "answer", body % mark)
    assert response.status_code in (400, 422), response.text
    refused(response, response.status_code, mark)


@pytest.mark.parametrize(
    "value", ["9223372036854775808", "-1", "1e400", "NaN", "true", "[]", "{}", "null"]
)
async def test_a_number_or_other_type_where_text_belongs_is_422(
    operator: httpx.AsyncClient, value: str
) -> None:
    appeal_id = await routed_appeal(OWN)
    for action, field in (("answer", "text"), ("notes", "text"), ("merge", "into")):
        response = await post_raw(operator, appeal_id, action, f'{{"{field}": {value}}}')
        refused(response, 422)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/appeals/not-a-uuid", 422),
        (f"/v1/appeals/{uuid.uuid4()}", 404),
        ("/v1/queues/no-such-agency", 404),
        ("/v1/queues/%00", 404),
        ("/v1/queues/" + "x" * 10_000, 404),
    ],
)
async def test_unknown_or_malformed_ids_in_the_path_are_4xx(
    operator: httpx.AsyncClient, path: str, expected: int
) -> None:
    refused(await operator.get(path), expected)


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\udfff"])
async def test_a_delivery_marked_with_a_nul_or_lone_surrogate_is_422_and_stays_failed(
    operator: httpx.AsyncClient, escape: str
) -> None:
    appeal_id = await routed_appeal(OWN)
    delivery_id = await failed_delivery(operator, appeal_id)
    base = f"/v1/appeals/{appeal_id}/deliveries/{delivery_id}"
    mark = marker()
    response = await operator.post(
        f"{base}/mark-delivered",
        content=f'{{"comment": "{mark}{escape}"}}'.encode(),
        headers={"Content-Type": "application/json"},
    )
    refused(response, 422, mark)
    too_long = await operator.post(f"{base}/mark-delivered", json={"comment": "я" * 2_001})
    refused(too_long, 422)
    extra = await operator.post(f"{base}/mark-delivered", json={"comment": None, "x": mark})
    refused(extra, 422, mark)
    card = (await operator.get(f"/v1/appeals/{appeal_id}")).json()
    assert card["answers"][-1]["deliveries"][0]["state"] == "failed"


@pytest.mark.parametrize(
    ("delivery", "expected"),
    [("not-a-uuid", 422), (str(uuid.uuid4()), 404), ("%00", 422), ("x" * 5_000, 422)],
)
async def test_a_delivery_id_that_names_none_is_4xx(
    operator: httpx.AsyncClient, delivery: str, expected: int
) -> None:
    appeal_id = await routed_appeal(OWN)
    for decision in ("retry", "mark-delivered"):
        path = f"/v1/appeals/{appeal_id}/deliveries/{delivery}/{decision}"
        refused(await operator.post(path, json={}), expected)


# --- the admin API: what the directory and the rules are changed with ---------------------


@pytest.fixture
async def admin(running, identity) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with caller(identity.headers(roles=("admin",))) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        *((f"/v1/admin/{k}/versions/{v}", 422) for k in ("directory", "rules")
          for v in ("0", "-1", "x", "99999999999999999999", "%00")),
        ("/v1/admin/directory/versions/1999999999", 404),
        ("/v1/admin/directory/bodies/UPPER", 422),
        ("/v1/admin/directory/bodies/no-such-body", 404),
        ("/v1/admin/directory/versions?limit=0", 422),
        ("/v1/admin/directory/versions?changed=%00", 422),
    ],
)  # fmt: skip
async def test_an_admin_read_of_nothing_is_4xx(
    admin: httpx.AsyncClient, path: str, expected: int
) -> None:
    refused(await admin.get(path), expected)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/admin/directory/import", {"format": "csv", "mode": "replace", "document": "id\n"}),
        ("/v1/admin/directory/import", {"format": "xml", "document": "<a/>"}),
        ("/v1/admin/directory/import", {"document": ""}),
        ("/v1/admin/directory/import", {"document": "bodies: []", "x": "@"}),
        ("/v1/admin/directory/import", {"document": "@\u0000"}),
        ("/v1/admin/directory/import", {"format": "csv", "document": "@,id\n"}),
        ("/v1/admin/directory/import", {"document": "bodies: [@"}),
        ("/v1/admin/directory/import", {"document": "region: {name: @}"}),
        ("/v1/admin/rules/dry-run", {"document": "rules: [@"}),
        ("/v1/admin/rules/dry-run", {"document": "rules: []", "limit": 5001}),
        ("/v1/admin/rules/dry-run", {"document": "rules: []", "limit": 2**63}),
        ("/v1/admin/rules", {"document": "rules: []", "dry_run_digest": "@"}),
    ],
)
async def test_a_broken_admin_request_is_422_without_repeating_it(
    admin: httpx.AsyncClient, path: str, body: dict[str, Any]
) -> None:
    mark = marker()
    text = json.dumps(body).replace("@", mark).replace("\\\\u0000", "\\u0000")

    response = await admin.post(
        path, content=text.encode(), headers={"Content-Type": "application/json", "If-Match": '"1"'}
    )

    refused(response, 422, mark)


def test_every_route_in_the_openapi_document_is_covered() -> None:
    """A new endpoint needs its hostile cases here and in the fuzz tests (which read the
    document, so they cover it by themselves)."""
    paths = {p for p in app.openapi()["paths"] if not p.startswith("/health/")}
    assert paths == {
        "/v1/me",
        "/v1/agencies",
        "/v1/appeals",
        "/v1/queues/{agency_id}",
        "/v1/appeals/{appeal_id}",
        *(f"/v1/appeals/{{appeal_id}}/{a}" for a in (*VERSIONED, "notes")),
        "/v1/appeals/{appeal_id}/deliveries/{delivery_id}/retry",
        "/v1/appeals/{appeal_id}/deliveries/{delivery_id}/mark-delivered",
        *(f"/v1/admin/{k}/versions" for k in ("directory", "rules")),
        *(f"/v1/admin/{k}/versions/{{version}}" for k in ("directory", "rules")),
        "/v1/admin/directory/bodies/{body_id}",
        "/v1/admin/directory/import",
        "/v1/admin/rules/dry-run",
        "/v1/admin/rules",
    }


# --- the console: the same input through its forms and query strings ----------------------


@pytest.fixture
async def console(running, identity) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A ЦУР operator signed in to the console, with the CSRF cookie its forms echo."""
    token = identity.token(roles=("cur_operator",))
    async with caller({"Cookie": f"appeals_session={token}; csrf=fuzz-csrf"}) as client:
        yield client


@pytest.mark.parametrize("version", ["²", "¹", "abc", "-1", "1" * 12, "1.0"])
async def test_a_console_form_with_a_version_that_is_not_one_shows_the_card_as_stale(
    console: httpx.AsyncClient, version: str
) -> None:
    appeal_id = await routed_appeal(OWN)
    before = await current_version(appeal_id)

    response = await console.post(
        f"/console/appeals/{appeal_id}/claim", data={"csrf": "fuzz-csrf", "version": version}
    )

    assert response.status_code == 409, response.text
    assert await current_version(appeal_id) == before


@pytest.mark.parametrize("name", [*BAD_CURSORS, "nested deeper than Python parses"])
async def test_a_console_queue_with_a_malformed_cursor_shows_the_first_page(
    console: httpx.AsyncClient, given_cursor: list[Any], name: str
) -> None:
    deep = base64.urlsafe_b64encode(b"[" * 3_000 + b"]" * 3_000).decode()  # no length limit
    cursor = BAD_CURSORS[name](given_cursor) if name in BAD_CURSORS else deep
    for path in ("/console/", "/console/queue/list"):
        response = await console.get(path, params={"cursor": cursor})
        assert response.status_code == 200, response.text
