"""Notices end to end on the real service, database and broker, with a real SMTP server: a
breach fires, and the head of the body the directory names gets one e-mail with the card's
link and the deadline in the body's zone; a redelivered step is not told twice."""

import asyncio
import email
import email.policy
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sla_support import close_clock, running_monitor
from sqlalchemy import delete

from appeals_common.events import (
    AppealRouted,
    BodySchedule,
    DirectoryPublished,
    HeadContact,
    Platform,
    SlaStepFired,
    new_envelope,
)
from sla_monitor.adapters.orm import directory_versions
from sla_monitor.domain.bodies import Bodies
from sla_monitor.handlers import handle_appeal_routed, handle_directory
from sla_monitor.main import app
from sla_monitor.notifications import handle_step_fired
from sla_monitor.scanner import fire_due_steps

pytestmark = pytest.mark.integration
HEAD = HeadContact(name="Иванова Анна", position="начальник", email="head@body.example")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture(scope="module")
async def running(infra, inbox) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    async with running_monitor(
        KAFKA_GROUP_SUFFIX=f"-notices-{uuid.uuid4().hex[:6]}",
        SLA_SCAN_INTERVAL_SECONDS="3600",  # the test fires the steps itself
        SLA_SMTP_HOST="127.0.0.1",
        SLA_SMTP_PORT=str(inbox[1]),
        SLA_CONSOLE_URL="https://cur.example",
    ):
        yield


async def test_a_breach_reaches_the_bodys_head_once(running, inbox) -> None:  # type: ignore[no-untyped-def]
    deps, box = app.state.service.deps, inbox[0]
    body = BodySchedule(id=f"it-{uuid.uuid4().hex[:8]}", name="Управление ЖКХ (тест)",
                        kind="municipal_department", timezone="Asia/Novosibirsk", hours={},
                        head=HEAD)  # fmt: skip
    version = 2_000_000 + uuid.uuid4().int % 1_000_000
    published = DirectoryPublished(version=version, region_oktmo="24000000", triage_body="x",
                                   bodies=(body,))  # fmt: skip
    await handle_directory(new_envelope(published, source="t", correlation_id="c"), deps)
    now = datetime.now(UTC)
    routed = AppealRouted(
        appeal_id=uuid.uuid4(), agency_id=body.id, agency_name=body.name, topic="roads.repair",
        urgent=False, platform=Platform.VK, page_id="p", routed_at=now,
        written_at=now - timedelta(minutes=11),  # past the 600 s target: the breach is due
    )  # fmt: skip
    try:
        await handle_appeal_routed(new_envelope(routed, source="t", correlation_id="c"), deps)
        await fire_due_steps(deps)
        async with asyncio.timeout(30):
            while not _breaches(box, routed.appeal_id):
                await asyncio.sleep(0.1)
    finally:  # the shared database goes back to the router's own announcements
        await close_clock(routed.appeal_id, body.id)
        async with deps.sessions() as session, session.begin():
            await session.execute(
                delete(directory_versions).where(directory_versions.c.version == version)
            )
        deps.setup.bodies = Bodies()

    [breach] = _breaches(box, routed.appeal_id)
    assert breach["To"].addresses[0].addr_spec == HEAD.email
    body_text = breach.get_body().get_content()  # type: ignore[union-attr]
    assert f"https://cur.example/console/appeals/{routed.appeal_id}" in body_text
    assert "Asia/Novosibirsk, UTC+7" in body_text


async def test_a_redelivered_step_is_not_told_twice(running, inbox) -> None:  # type: ignore[no-untyped-def]
    box = inbox[0]
    step = SlaStepFired(
        appeal_id=uuid.uuid4(), agency_id="ivanovo-zhkh", step="breach", target="first_response",
        share=1.0, recipient="head", policy_id="standard-it", policy_version=1,
        due_at=datetime.now(UTC), fired_at=datetime.now(UTC),
    )  # fmt: skip
    event = new_envelope(step, source="t", correlation_id="c")
    deps = app.state.service.notices_deps
    deps.setup.bodies = Bodies(1, "cur", None, {"ivanovo-zhkh": BodySchedule(
        id="ivanovo-zhkh", name="ЖКХ", kind="municipal_department", timezone="Europe/Moscow",
        hours={}, head=HEAD)})  # fmt: skip
    try:
        await handle_step_fired(event, deps)
        await handle_step_fired(event, deps)  # a redelivery
    finally:
        deps.setup.bodies = Bodies()

    assert len(_breaches(box, step.appeal_id)) == 1


def _breaches(box: Inbox, appeal_id: uuid.UUID) -> list[email.message.EmailMessage]:
    return [
        m for m in box.messages
        if str(appeal_id) in m.get_body().get_content()  # type: ignore[union-attr]
        and m["Subject"].startswith("Срок ответа")
    ]  # fmt: skip
