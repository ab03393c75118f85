"""Payloads of the SLA clock's steps, and the directory the SLA monitor counts by."""

import uuid

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from appeals_common.events.envelope import EventPayload


class SlaStepFired(EventPayload):
    """A step of an appeal's clock came due: a warning, the breach, an escalation or the
    resolution's breach. Fired once, whichever replica finds it."""

    event_type = "sla.step_fired"

    appeal_id: uuid.UUID
    agency_id: str
    step: str = Field(description="warning-50, warning-80, breach, escalation-1, resolution")
    target: str = Field(description="first_response or resolution")
    share: float = Field(ge=0, description="of the target: 0.5 for a warning at half")
    recipient: str = Field(description="agency, head, parent_head, cur_supervisor, ...")
    policy_id: str
    policy_version: int
    due_at: AwareDatetime
    fired_at: AwareDatetime


class HeadContact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    position: str
    email: str | None = None
    telegram_chat_id: str | None = None


class BodySchedule(BaseModel):
    """What the SLA monitor needs of a body: its place in the vertical, its time, its head."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    kind: str
    parent: str | None = None
    territory: tuple[str, ...] = ()
    timezone: str = Field(description="IANA, inherited already")
    hours: dict[str, str] = Field(description="inherited already; empty: round the clock")
    head: HeadContact | None = None


class DirectoryPublished(EventPayload):
    """A directory version the router routes by, as the SLA monitor counts by it."""

    event_type = "directory.published"

    version: int = Field(ge=1, description="the router's stored directory version")
    region_oktmo: str
    triage_body: str
    regional_government: str | None = None
    bodies: tuple[BodySchedule, ...]
