"""Fakes for the console's tests (no tests here): the service, its data functions, users."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from appeals_common.auth import Principal, Role
from appeals_common.auth.tokens import InvalidToken
from router import console
from router.actions import ActionDeps, ActionResult
from router.adapters import card_sql, queue_sql
from router.adapters.directory_file import load_directory
from router.console import action_routes, card, delivery_routes, pages
from router.delivery_actions import DeliveryDecision
from router.domain.commands import Command
from router.domain.queues import QueueFilter

ROOT = Path(__file__).resolve().parents[4]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DIRECTORY = load_directory(ROOT / "config/directory.yaml")
USERS = {
    "staff": Principal(
        "s-1",
        "roads",
        "Кузнецов Андрей",
        frozenset({Role.AGENCY_STAFF}),
        frozenset({"ivanovo-roads"}),
    ),
    "operator": Principal("o-1", "cur", "Смирнова Ольга", frozenset({Role.CUR_OPERATOR})),
    "governor": Principal("g-1", "gov", "Морозова Елена", frozenset({Role.GOVERNOR_OFFICE})),
    "other-staff": Principal(
        "s-2", "zhkh", "Орлова Нина", frozenset({Role.AGENCY_STAFF}), frozenset({"ivanovo-zhkh"})
    ),
    "admin": Principal("a-1", "admin", "Админ", frozenset({Role.ADMIN})),
}
APPEAL_ID = uuid.UUID("11111111-2222-3333-4444-555555555555")
RESPONSE_ID = uuid.UUID("66666666-7777-8888-9999-000000000000")
DELIVERY_ID = uuid.uuid5(RESPONSE_ID, str(APPEAL_ID))


def row(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "appeal_id": APPEAL_ID,
        "agency_id": "ivanovo-roads",
        "topic": "roads.repair",
        "topic_name": "Ремонт дорог",
        "urgent": True,
        "confidence": 0.91,
        "reason": "яма на дороге",
        "platform": "vk",
        "kind": "comment",
        "page_id": "vk:-1",
        "author_platform_id": "u1",
        "text": "Яма на улице Ленина, 5",
        "permalink": None,
        "written_at": NOW - timedelta(hours=2),
        "routed_at": NOW - timedelta(hours=1),
        "answered_at": None,
        "correlation_id": "c",
        "revision": 0,
        "edited_at": None,
        "withdrawn_at": None,
        "routing": 0,
        "status": "routed",
        "version": 3,
        "holder_sub": None,
        "holder_name": None,
        "holder_until": None,
        "merged_into": None,
        "closed_at": None,
        "body_id": "adm-ivanovo",
        "classification_reason": "слова: яма, дорога",
        "places": '[{"kind": "street", "text": "улице Ленина", "value": "улица Ленина"}]',
        "due_at": NOW + timedelta(hours=2),
        "breached_at": None,
    }
    return {**values, **changes}


def delivery(**changes: Any) -> dict[str, Any]:
    """A row of router.deliveries, as card_sql gives it on an answer."""
    values: dict[str, Any] = {
        "delivery_id": DELIVERY_ID,
        "response_id": RESPONSE_ID,
        "appeal_id": APPEAL_ID,
        "platform": "vk",
        "round": 0,
        "state": "pending",
        "reply_id": None,
        "reply_url": None,
        "parts": None,
        "reason": None,
        "detail": None,
        "requested_at": NOW - timedelta(minutes=5),
        "updated_at": NOW - timedelta(minutes=5),
        "decided_by": None,
    }
    return {**values, **changes}


def answer(*deliveries: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """An answer given in the console, with its deliveries."""
    values: dict[str, Any] = {
        "response_id": RESPONSE_ID,
        "appeal_id": APPEAL_ID,
        "agency_id": "ivanovo-roads",
        "channel": "queue",
        "text": "Яму заделают до пятницы.",
        "author_name": "Кузнецов Андрей",
        "created_at": NOW - timedelta(minutes=5),
        "deliveries": list(deliveries),
    }
    return {**values, **changes}


class FakeVerifier:
    async def verify(self, token: str) -> Principal:
        if token not in USERS:
            raise InvalidToken("unknown")
        return USERS[token]


@asynccontextmanager
async def no_session() -> AsyncIterator[None]:
    yield None


class World:
    """What the fakes saw, and what they answer."""

    def __init__(self) -> None:
        self.rows = [row()]
        self.filters: list[QueueFilter] = []
        self.answers: list[dict[str, Any]] = []
        self.acted: list[tuple[Command, int | None]] = []
        self.act_error: Exception | None = None
        self.decided: list[tuple[uuid.UUID, uuid.UUID, DeliveryDecision, str | None]] = []
        self.decide_error: Exception | None = None
        self.sla: httpx.Response = httpx.Response(
            200, json={"state": "overdue", "deadline": "2026-03-02T10:00:00Z"}
        )
        self.sla_auth: list[str] = []


def make_world(monkeypatch: pytest.MonkeyPatch) -> World:
    """A world whose data functions the console's modules now call instead of SQL."""
    w = World()

    async def list_page(_: Any, queue: QueueFilter, **kw: Any) -> Any:
        w.filters.append(queue)
        return w.rows, None

    async def counts(*_: Any, **__: Any) -> dict[str, int]:
        return {
            "open": 7,
            "claimed": 2,
            "answered": 5,
            "withdrawn": 1,
            "merged": 0,
            "not_appeal": 0,
            "mine": 1,
            "unclaimed": 5,
        }

    async def get_assignment(_: Any, appeal_id: uuid.UUID) -> dict[str, Any] | None:
        return next((r for r in w.rows if r["appeal_id"] == appeal_id), None)

    async def card_parts(*_: Any) -> dict[str, list[dict[str, Any]]]:
        return {"answers": w.answers, "notes": [], "history": []}

    async def answers_of(*_: Any) -> list[dict[str, Any]]:
        return w.answers

    async def act(appeal_id: uuid.UUID, command: Command, version: int | None, deps: Any) -> Any:
        w.acted.append((command, version))
        if w.act_error is not None:
            raise w.act_error
        return ActionResult(w.rows[0])

    async def decide(
        appeal_id: uuid.UUID,
        delivery_id: uuid.UUID,
        decision: DeliveryDecision,
        actor: Principal,
        deps: Any,
        comment: str | None = None,
    ) -> dict[str, Any]:
        w.decided.append((appeal_id, delivery_id, decision, comment))
        if w.decide_error is not None:
            raise w.decide_error
        return delivery(state="pending", round=1, decided_by=actor.display_name)

    monkeypatch.setattr(queue_sql, "list_page", list_page)
    monkeypatch.setattr(queue_sql, "counts", counts)
    monkeypatch.setattr(card_sql, "card_parts", card_parts)
    monkeypatch.setattr(card_sql, "answers_of", answers_of)
    monkeypatch.setattr(card, "get_assignment", get_assignment)
    monkeypatch.setattr(pages, "get_assignment", get_assignment)
    monkeypatch.setattr(action_routes, "act", act)
    monkeypatch.setattr(delivery_routes, "decide", decide)
    return w


@asynccontextmanager
async def console_client(world: World) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with only the console's routes, on a fake service."""

    def sla(request: httpx.Request) -> httpx.Response:
        world.sla_auth.append(request.headers.get("authorization", ""))
        return world.sla

    app = FastAPI()
    app.include_router(console.router)
    app.mount("/console/static", console.static_files(), name="console-static")
    app.state.service = SimpleNamespace(
        deps=SimpleNamespace(sessions=no_session, directory=DIRECTORY),
        actions=ActionDeps(
            lambda: None,
            SimpleNamespace(directory=DIRECTORY),  # type: ignore[arg-type]
            lambda: NOW,
            timedelta(minutes=30),  # type: ignore[arg-type, return-value]
            lambda: None,
        ),
        verifier=FakeVerifier(),
        settings=SimpleNamespace(
            sla_url="http://sla.test",
            oidc_issuer="http://idp.test",
            console_templates_file=ROOT / "config/answer-templates.yaml",
        ),
        http=httpx.AsyncClient(transport=httpx.MockTransport(sla)),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as test:
        yield test


def as_user(client: httpx.AsyncClient, who: str, csrf: str | None = "tok") -> httpx.AsyncClient:
    client.cookies.set("appeals_session", who)
    if csrf:
        client.cookies.set("csrf", csrf)
    return client
