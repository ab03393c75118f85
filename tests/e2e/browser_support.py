"""The operator console in Debian's chromium, driven by Playwright, for the browser e2e tests.

Each user signs in through the dev IdP's form in a browser context of their own (own cookies),
at the viewport the docs' screenshots are taken at. Every request a page makes is checked to
stay on the loopback addresses: the console runs in a closed government network, so a page
that reaches elsewhere (a CDN script, a web font) is aborted and fails the test.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx
from playwright.async_api import Browser, Page, Route, async_playwright, expect

from ingest.adapters.page_registry_file import load_seed
from tests.identity import Identity
from tests.infra import ROOT

CHROMIUM = "/usr/bin/chromium"  # Debian's package: nothing is downloaded
VIEWPORT = {"width": 1366, "height": 900}
MAX_HEIGHT = 2 * VIEWPORT["height"]
SCREENSHOTS = ROOT / "docs" / "console"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
PASSWORD = "demo"  # every demo user's (config/dev-users.yaml), development only
PAGE_ID = "site-ivanovo"
[SITE_KEY] = load_seed(ROOT / "config" / "pages.yaml").demo_keys[PAGE_ID]
OPEN = ("routed", "claimed", "returned")
TIDY_ANSWER = "Ответ дан в ходе проверки."
T = TypeVar("T")


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Headless Debian chromium (as root, hence no sandbox)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()


@dataclass
class Offsite:
    """What went wrong in the pages: requests off the machine (aborted) and script errors."""

    problems: list[str] = field(default_factory=list)

    async def check(self, route: Route) -> None:
        """Let loopback requests through; abort and remember any other."""
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            await route.continue_()
            return
        self.problems.append(f"request off the machine: {route.request.method} {url}")
        await route.abort("blockedbyclient")


async def poll(probe: Callable[[], Awaitable[T | None]], timeout_s: float = 30) -> T:
    """The probe's first non-None answer, asked again every quarter second until the timeout."""
    async with asyncio.timeout(timeout_s):
        while (found := await probe()) is None:
            await asyncio.sleep(0.25)
        return found


@dataclass(frozen=True)
class RouterApi:
    """The router's JSON API with demo users' tokens: what the tests check the pages against."""

    http: httpx.AsyncClient
    url: str
    identity: Identity

    async def appeal(self, appeal_id: str, user: str = "cur-operator") -> dict[str, Any] | None:
        """The appeal as `user` reads it; None while it is not (yet) routed or not theirs."""
        response = await self.http.get(
            f"{self.url}/v1/appeals/{appeal_id}", headers=self.identity.headers(user)
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        appeal: dict[str, Any] = response.json()["appeal"]
        return appeal

    async def routed(self, appeal_id: str) -> dict[str, Any]:
        """The appeal once the pipeline has routed it."""
        return await poll(lambda: self.appeal(appeal_id))

    async def act(self, appeal_id: str, action: str, user: str, body: dict[str, str]) -> None:
        """One change (`return`, `reassign`, ...) at the appeal's current version."""
        current = await self.appeal(appeal_id, user)
        assert current is not None, f"{user} does not see {appeal_id}"
        headers = {**self.identity.headers(user), "If-Match": f'"{current["version"]}"'}
        response = await self.http.post(
            f"{self.url}/v1/appeals/{appeal_id}/{action}", json=body, headers=headers
        )
        assert response.is_success, response.text


@dataclass(frozen=True)
class Console:
    """The running services as the browser tests use them."""

    browser: Browser
    urls: dict[str, str]
    idp_url: str
    api: RouterApi
    offsite: Offsite
    posted: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.urls['router']}{path}"

    async def post_appeal(self, text: str, *, age: timedelta = timedelta(0)) -> str:
        """A resident writes through the site form (`age` ago); the appeal's id."""
        body = {
            "page_id": PAGE_ID,
            "external_id": uuid.uuid4().hex,
            "author_id": f"e2e-{uuid.uuid4().hex[:6]}",
            "text": text,
            "written_at": (datetime.now(UTC) - age).isoformat(),
        }
        response = await self.api.http.post(
            f"{self.urls['ingest']}/v1/appeals",
            json=body,
            headers={"Authorization": f"Bearer {SITE_KEY}"},
        )
        assert response.status_code == 202, response.text
        self.posted.append(str(response.json()["appeal_id"]))
        return self.posted[-1]

    async def tidy(self) -> None:
        """Answer the test's appeals still open, so none piles up in the shared database."""
        for appeal_id in self.posted:
            appeal = await self.api.appeal(appeal_id)
            if appeal is None or appeal["status"] not in OPEN:
                continue
            with suppress(AssertionError):  # best effort: e.g. held by the test's other user
                await self.api.act(appeal_id, "answer", "cur-operator", {"text": TIDY_ANSWER})

    @asynccontextmanager
    async def signed_in(
        self, username: str, *, login_shot: str | None = None
    ) -> AsyncIterator[Page]:
        """A page of a fresh context, signed in as `username` through the IdP's form."""
        context = await self.browser.new_context(
            viewport=VIEWPORT, locale="ru-RU", timezone_id="Europe/Moscow"
        )
        context.set_default_timeout(15_000)
        await context.route("**/*", self.offsite.check)
        try:
            page = await context.new_page()
            page.on("pageerror", lambda error: self.offsite.problems.append(f"script: {error}"))
            await self._sign_in(page, username, login_shot)
            yield page
        finally:
            await context.close()

    async def _sign_in(self, page: Page, username: str, shot: str | None) -> None:
        await page.goto(self.url("/console/"))  # no session yet: off to the IdP's form
        await page.wait_for_url(f"{self.idp_url}/authorize?**")
        await page.fill("#username", username)
        await page.fill("#password", PASSWORD)
        if shot:
            await screenshot(page, shot)
        await page.click("form[action='/authorize'] button[type=submit]")
        await page.wait_for_url(self.url("/console/"))
        await expect(page.get_by_test_id("user-name")).not_to_be_empty()


async def screenshot(page: Page, name: str) -> None:
    """The page into docs/console/NAME, whole up to two screens (the shared test database's
    long queues would otherwise make pictures metres tall)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = await page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(height, MAX_HEIGHT)}
    await page.screenshot(path=SCREENSHOTS / name, full_page=True, clip=clip, animations="disabled")


async def find_in_queue(page: Page, appeal_id: str, max_pages: int = 20) -> bool:
    """Whether the queue (as filtered) lists the appeal, following "Далее" page by page."""
    row = page.locator(f'[data-testid=queue-row][data-appeal-id="{appeal_id}"]')
    for _ in range(max_pages):
        await expect(page.locator("#queue-list")).to_be_visible()
        if await row.count():
            return True
        following = page.get_by_test_id("next-page")
        if not await following.count():
            return False
        await page.goto(urljoin(page.url, await following.get_attribute("href") or ""))
    raise AssertionError(f"more than {max_pages} pages of queue")
