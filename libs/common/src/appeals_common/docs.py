"""Swagger UI at /docs from files shipped in this package, so it renders on a closed network.

FastAPI's own /docs and /redoc load their scripts and styles from a public CDN: the app factory
turns both off and this serves /docs from the vendored swagger-ui-dist instead
(static/swagger-ui/VERSION says which release). ReDoc is not vendored: one docs page is enough.
"""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/static/common"
DOCS_URL = "/docs"


def add_offline_docs(app: FastAPI) -> None:
    """Serve /docs and its assets from this package (the app is built with docs_url=None)."""
    if app.openapi_url is None:
        return  # no schema, nothing to show
    openapi_url = app.openapi_url
    redirect_url = app.swagger_ui_oauth2_redirect_url
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="common-static")

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        # Behind a proxy that strips a path prefix the page's links must carry it, as FastAPI's
        # own /docs does for the schema's URL.
        root = request.scope.get("root_path", "").rstrip("/")
        assets = f"{root}{STATIC_PREFIX}/swagger-ui"
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
            oauth2_redirect_url=f"{root}{redirect_url}" if redirect_url else None,
            init_oauth=app.swagger_ui_init_oauth,
            # Swagger UI would otherwise send the schema to an online validator.
            swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
        )

    if redirect_url:

        @app.get(redirect_url, include_in_schema=False)
        async def swagger_ui_oauth2_redirect() -> HTMLResponse:
            return get_swagger_ui_oauth2_redirect_html()
