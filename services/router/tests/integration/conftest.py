"""The `world` of the router's fuzz tests: the app in-process on the real database, and a
caller per role (and one for the console, whose session goes in a cookie)."""

from collections.abc import AsyncIterator

import pytest
from router_fuzz_support import ROLES, World
from router_support import caller, router_app


@pytest.fixture(scope="module")
async def world(infra, identity) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KAFKA_GROUP_SUFFIX", "-it")  # resumes where the last test app left off
        env.setenv("ROUTER_SLA_URL", "http://127.0.0.1:9")  # the card's SLA: refused at once
        async with router_app():
            tokens = {
                who: identity.token(**claims) if claims else identity.token("cur-operator")
                for who, claims in ROLES.items()
            }
            clients = {who: caller({"Authorization": f"Bearer {t}"}) for who, t in tokens.items()}
            clients["console"] = caller({})  # the session goes in a cookie, per request
            yield World(clients, tokens)
            for client in clients.values():
                await client.aclose()
