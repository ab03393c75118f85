"""What the router's HTTP API reads and returns."""

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from router.domain.queues import QueueStatus


class AgencyRead(BaseModel):
    id: str
    name: str
    body_type: str
    territory: str
    topics: list[str]


class AppealRead(BaseModel):
    """One appeal as an operator sees it in a queue."""

    model_config = ConfigDict(from_attributes=True)

    appeal_id: uuid.UUID
    agency_id: str
    topic: str
    topic_name: str
    urgent: bool
    confidence: float
    reason: str
    platform: str
    kind: str
    page_id: str
    text: str
    permalink: str | None
    written_at: datetime
    routed_at: datetime
    answered_at: datetime | None
    revision: int = Field(description="0 as written; higher after edits on the platform")
    edited_at: datetime | None
    withdrawn_at: datetime | None = Field(description="when it was deleted on the platform")
    routing: int = Field(description="0 as first routed; one more with each reassignment")
    status: QueueStatus


class QueueRead(BaseModel):
    agency: AgencyRead
    status: QueueStatus
    total: int
    items: list[AppealRead]


class ResponseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=10_000, description="the answer to the resident")


class ResponseRead(BaseModel):
    response_id: uuid.UUID
    appeal_id: uuid.UUID
    answered_at: AwareDatetime


class ReassignmentCreate(BaseModel):
    """An operator's correction: the agency the appeal belongs to, and its topic if wrong."""

    model_config = ConfigDict(extra="forbid")

    agency_id: str = Field(min_length=1, max_length=128)
    topic: str | None = Field(
        default=None, min_length=1, max_length=128, description="rubricator topic id"
    )
    topic_name: str | None = Field(
        default=None, min_length=1, max_length=256, description="its Russian name, for the queue"
    )
    comment: str | None = Field(default=None, max_length=2_000, description="why, for the record")
