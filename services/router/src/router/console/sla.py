"""The appeal's SLA clock, asked of the SLA monitor with the caller's own token."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import httpx
from fastapi import Request

from appeals_common.auth.http import bearer_token
from router.console.web import service


@dataclass(frozen=True)
class StepView:
    step: str
    recipient: str
    due_at: datetime
    fired_at: datetime | None


@dataclass(frozen=True)
class SlaView:
    state: str
    deadline: datetime | None
    policy: str | None = None
    steps: tuple[StepView, ...] = ()


async def sla_of(request: Request, appeal_id: uuid.UUID) -> SlaView | None:
    """None when the monitor does not answer, has no clock, or answers nonsense."""
    url = f"{service(request).settings.sla_url.rstrip('/')}/v1/sla/appeals/{appeal_id}"
    headers = {"Authorization": f"Bearer {bearer_token(request) or ''}"}
    try:
        response = await service(request).http.get(url, headers=headers, timeout=3)
        response.raise_for_status()
        body = response.json()
        deadline = body.get("deadline")
        steps = tuple(
            StepView(str(s["step"]), str(s["recipient"]), datetime.fromisoformat(s["due_at"]),
                     datetime.fromisoformat(s["fired_at"]) if s.get("fired_at") else None)
            for s in body.get("steps") or ()
        )  # fmt: skip
        return SlaView(
            str(body["state"]), datetime.fromisoformat(deadline) if deadline else None,
            body.get("policy_id"), steps,
        )  # fmt: skip
    except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError):
        return None
