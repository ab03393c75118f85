"""The operators' console: server-rendered Russian pages with htmx, under /console.

Its pages call the same functions as the JSON API (`actions.act`, `delivery_actions.decide`,
the queue and card queries, `domain.access`), so they add no rules of their own.
"""

from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles

from router.console import action_routes, delivery_routes, login, pages, triage
from router.console.web import HERE

router = APIRouter()
for _part in (
    login.router,
    pages.router,
    triage.router,
    action_routes.router,
    delivery_routes.router,
):
    router.include_router(_part)


def static_files() -> StaticFiles:
    """The console's own scripts and styles (nothing from the network)."""
    return StaticFiles(directory=HERE / "static")


__all__ = ["router", "static_files"]
