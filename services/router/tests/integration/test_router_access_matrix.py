"""Who may do what, cell by cell, against the real service: every role on every endpoint, on
an appeal of its own agency and of another. Another agency's appeal answers 404 (ids cannot
be probed), a role without the right 403, and a bad token 401 everywhere."""

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from router_support import (
    act,
    caller,
    routed_appeal,
    router_app,
)

from router.main import app

pytestmark = pytest.mark.integration

OWN, OTHER = "ivanovo-roads", "ivanovo-zhkh"
CALLERS = {
    "staff": {"roles": ("agency_staff",), "agencies": (OWN,)},
    "cur": {"roles": ("cur_operator",)},
    "governor": {"roles": ("governor_office",)},
    "admin": {"roles": ("admin",)},
}
ACTIONS = (
    "read",
    "queue",
    "claim",
    "release",
    "answer",
    "reassign",
    "return",
    "not-appeal",
    "merge",
    "notes",
)
SUCCESS = {
    "read": 200,
    "queue": 200,
    "claim": 200,
    "release": 200,
    "answer": 201,
    "reassign": 200,
    "return": 200,
    "not-appeal": 200,
    "merge": 200,
    "notes": 201,
}
# Expected status per caller and whose appeal, where it differs from success.
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("staff", "own"): {"reassign": 403, "not-appeal": 403},
    ("staff", "other"): dict.fromkeys(ACTIONS, 404),
    ("cur", "own"): {},
    ("cur", "other"): {},
    ("governor", "own"): {a: 403 for a in ACTIONS if a not in ("read", "queue")},
    ("governor", "other"): {a: 403 for a in ACTIONS if a not in ("read", "queue")},
    ("admin", "own"): {"read": 403, "queue": 403} | dict.fromkeys(ACTIONS[2:], 404),
    ("admin", "other"): {"read": 403, "queue": 403} | dict.fromkeys(ACTIONS[2:], 404),
}
BODIES = {
    "answer": {"text": "Яму заделают до пятницы"},
    "reassign": {"agency_id": "ivanovo-culture", "comment": "не дороги"},
    "return": {"comment": "не наше"},
    "not-appeal": {"comment": "благодарность"},
    "notes": {"text": "позвонили заявителю"},
}


@pytest.fixture(scope="module")
async def running(infra) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with router_app():
        yield


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("who", list(CALLERS))
async def test_role_matrix(running, identity, who: str, whose: str, action: str) -> None:  # type: ignore[no-untyped-def]
    agency = OWN if whose == "own" else OTHER
    appeal_id = await routed_appeal(agency)
    headers = identity.headers(sub=f"{who}-{uuid.uuid4().hex[:6]}", **CALLERS[who])
    cur = identity.headers(roles=("cur_operator",))
    async with caller(headers) as client, caller(cur) as operator:
        if action == "release":  # something to release: held by the caller, or by the ЦУР
            holder = (
                client
                if who in ("staff", "cur") and (who, whose) != ("staff", "other")
                else operator
            )
            assert (await act(holder, appeal_id, "claim")).status_code == 200
        if action == "read":
            response = await client.get(f"/v1/appeals/{appeal_id}")
        elif action == "queue":
            response = await client.get(f"/v1/queues/{agency}")
        else:
            body = BODIES.get(action, {})
            if action == "merge":
                body = {"into": str(await routed_appeal(agency, "Та же яма, пишу второй раз"))}
            response = await act(client, appeal_id, action, body)
    expected = EXPECTED[(who, whose)].get(action, SUCCESS[action])
    assert response.status_code == expected, response.text


async def test_a_listing_never_shows_another_agencys_appeals(running, identity) -> None:  # type: ignore[no-untyped-def]
    own, other = await routed_appeal(OWN), await routed_appeal(OTHER)
    async with caller(identity.headers(roles=("agency_staff",), agencies=(OWN,))) as client:
        seen: set[str] = set()
        for params in ({}, {"agency_id": OTHER}, {"status": "all"}):
            cursor = None
            while True:
                query = {**params, "limit": 200} | ({"cursor": cursor} if cursor else {})
                page = (await client.get("/v1/appeals", params=query)).json()
                seen |= {item["appeal_id"] for item in page["items"]}
                assert {item["agency_id"] for item in page["items"]} <= {OWN}
                if not (cursor := page["next_cursor"]):
                    break
    assert str(own) in seen
    assert str(other) not in seen


def _forged_tokens(identity) -> dict[str, str]:  # type: ignore[no-untyped-def]
    now = int(time.time())
    claims = {
        "iss": identity.issuer,
        "aud": "appeals",
        "sub": "x",
        "iat": now,
        "exp": now + 300,
        "realm_access": {"roles": ["cur_operator"]},
    }
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = jwt.get_unverified_header(identity.token("cur-operator"))["kid"]
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return {
        "expired": identity.token("cur-operator", ttl=-120),
        "another issuer": jwt.encode(
            {**claims, "iss": "http://evil.example"}, stranger, "RS256", headers={"kid": kid}
        ),
        "wrong key": jwt.encode(claims, stranger, "RS256", headers={"kid": kid}),
        "alg none": f"{header}.{body}.",
        "garbage": "abc.def",
    }


def _endpoints() -> list[tuple[str, str]]:
    """Every operation in the OpenAPI document, with ids filled in."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/health/"):
            continue  # open to the orchestrator's probes, as /metrics is to the scraper
        concrete = path.replace("{appeal_id}", str(uuid.uuid4())).replace("{agency_id}", OWN)
        found += [(method.upper(), concrete) for method in operations]
    return found


async def test_every_endpoint_refuses_a_missing_or_bad_token(running, identity) -> None:  # type: ignore[no-untyped-def]
    endpoints = _endpoints()
    assert len(endpoints) >= 12
    cases = {
        "none": {},
        **{k: {"Authorization": f"Bearer {v}"} for k, v in _forged_tokens(identity).items()},
    }
    for name, headers in cases.items():
        async with caller(headers) as client:
            for method, path in endpoints:
                response = await client.request(method, path, json={})
                assert response.status_code == 401, (name, method, path, response.text)
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
