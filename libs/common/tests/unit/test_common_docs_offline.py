"""/docs renders on a closed network: the page and everything it loads come from the service."""

from html.parser import HTMLParser

import httpx
from fastapi import FastAPI

from appeals_common.app import Service, create_service_app


def _never_built() -> Service:
    raise AssertionError("ASGITransport does not run the lifespan, so no service is built")


def _app() -> FastAPI:
    return create_service_app("docs-test", _never_built, [])


class _Links(HTMLParser):
    """Collects every src= and href= value on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def _client(root_path: str = "") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(), root_path=root_path)
    return httpx.AsyncClient(transport=transport, base_url="http://service")


async def test_docs_page_links_only_to_same_origin_paths() -> None:
    async with _client() as client:
        response = await client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    links = _links(response.text)
    assert len(links) == 3  # the stylesheet, the icon and the script
    assert all(url.startswith("/") and not url.startswith("//") for url in links), links
    # Not even the inline script may name another host (the schema URL, a validator).
    assert "://" not in response.text


async def test_every_asset_the_docs_page_names_is_served() -> None:
    async with _client() as client:
        links = _links((await client.get("/docs")).text)
        assets = {url: await client.get(url) for url in links}

    for url, response in assets.items():
        assert response.status_code == 200, url
        kind = response.headers["content-type"]
        if url.endswith(".js"):
            assert "javascript" in kind and len(response.content) > 100_000, url
        elif url.endswith(".css"):
            assert kind.startswith("text/css") and len(response.content) > 10_000, url
        else:
            assert kind.startswith("image/") and len(response.content) > 100, url


async def test_docs_links_carry_the_proxy_prefix() -> None:
    async with _client(root_path="/router") as client:
        html = (await client.get("/router/docs")).text
        links = _links(html)
        script = await client.get(next(u for u in links if u.endswith(".js")))

    assert all(url.startswith("/router/static/common/") for url in links), links
    assert "'/router/openapi.json'" in html
    assert script.status_code == 200


async def test_redoc_is_off_and_the_schema_and_oauth2_redirect_are_served() -> None:
    async with _client() as client:
        redoc = await client.get("/redoc")
        schema = await client.get("/openapi.json")
        redirect = await client.get("/docs/oauth2-redirect")

    assert redoc.status_code == 404
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Appeals docs-test"
    assert redirect.status_code == 200
    assert "://" not in redirect.text
