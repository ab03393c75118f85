"""Payloads of the appeal lifecycle: received → classified → routed → answered, or breached."""

import uuid
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from appeals_common.events.envelope import EventPayload


class Platform(StrEnum):
    VK = "vk"
    OK = "ok"
    TELEGRAM = "telegram"
    MAX = "max"
    API = "api"  # the generic API: regional site forms, call centres, imports


class AppealKind(StrEnum):
    COMMENT = "comment"
    PRIVATE_MESSAGE = "private_message"
    SUGGESTED_POST = "suggested_post"
    BOARD_POST = "board_post"


class ResponseChannel(StrEnum):
    QUEUE = "queue"  # answered through the agency work queue
    PLATFORM = "platform"  # the page answered directly on the platform


class Author(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    platform_id: str = Field(description="the author's id on the platform, needed to answer")
    key: str = Field(description="pseudonymous key for analytics; not reversible")


class AppealReceived(EventPayload):
    """A resident wrote something on an official page; normalised from any platform."""

    event_type = "appeal.received"

    appeal_id: uuid.UUID = Field(description="deterministic: same platform object, same id")
    platform: Platform
    kind: AppealKind
    page_id: str = Field(description="the official page in the page registry")
    body_id: str | None = Field(default=None, description="the body that owns the page")
    external_id: str = Field(description="the object's id on the platform")
    permalink: str | None = None
    author: Author
    text: str = Field(max_length=50_000)
    written_at: AwareDatetime
    received_at: AwareDatetime


class Classification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    is_appeal: bool
    topic: str = Field(description="stable topic id from the rubricator")
    topic_name: str = Field(description="Russian name shown to operators")
    body_type: str = Field(description="type of body responsible for the topic")
    urgent: bool = False
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str = Field(description="the rule or features behind the decision")
    model_version: str


class AppealClassified(EventPayload):
    event_type = "appeal.classified"

    appeal: AppealReceived
    classification: Classification


class AppealRouted(EventPayload):
    event_type = "appeal.routed"

    appeal_id: uuid.UUID
    agency_id: str
    agency_name: str
    topic: str
    urgent: bool
    platform: Platform
    page_id: str
    routed_at: AwareDatetime
    written_at: AwareDatetime


class AppealAnswered(EventPayload):
    event_type = "appeal.answered"

    appeal_id: uuid.UUID
    response_id: uuid.UUID
    agency_id: str | None
    channel: ResponseChannel
    answered_at: AwareDatetime


class SlaBreached(EventPayload):
    event_type = "sla.breached"

    appeal_id: uuid.UUID
    agency_id: str
    deadline: AwareDatetime
    detected_at: AwareDatetime
    target_seconds: int
