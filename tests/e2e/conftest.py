"""What the end-to-end tests share: a headless chromium for the session, the console driven
in it, and a ЦУР operator's view of the running services with the fake platforms."""

from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser

from tests.e2e.browser_support import Console, Offsite, RouterApi, chromium
from tests.e2e.delivery_support import World
from tests.identity import Identity
from tests.infra import Infra


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as started:
        yield started


@pytest.fixture
async def console(
    browser: Browser, running_services: dict[str, str], infra: Infra, identity: Identity
) -> AsyncIterator[Console]:
    """The console in the browser; no page may load anything from off the site."""
    offsite = Offsite()
    async with httpx.AsyncClient(timeout=10) as http:
        api = RouterApi(http, running_services["router"], identity)
        console = Console(browser, running_services, infra.idp_url, api, offsite)
        try:
            yield console
        finally:
            await console.tidy()
    assert offsite.problems == [], "\n".join(offsite.problems)


@pytest.fixture
async def world(running_services: dict[str, str], identity: Identity) -> AsyncIterator[World]:
    headers = identity.headers("cur-operator")
    async with httpx.AsyncClient(timeout=10, headers=headers) as http:
        yield World(http, running_services)
