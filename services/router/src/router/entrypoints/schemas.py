"""What the router's HTTP API reads and returns."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from appeals_common.text import StorableText
from router.domain.lifecycle import Status
from router.domain.queues import QueueStatus


class AgencyRead(BaseModel):
    id: str
    name: str
    body_type: str
    kind: str = Field(description="school, municipal_department, management_company, ...")
    territory: list[str] = Field(description="the OKTMO codes it answers for")
    topics: list[str]
    parent: str | None


class ConsideredRead(BaseModel):
    body_id: str
    why: str


class ExplanationRead(BaseModel):
    step: str = Field(description="rule, named, house, territory or triage")
    rule: str | None = Field(default=None, description="the rule and its version, id@vN")
    places: list[str] = Field(default=[], description="places and bodies named, as written")
    territory: str | None = Field(default=None, description="OKTMO the body was looked for on")
    executor: str | None = Field(default=None, description="the organisation reached through it")
    considered: list[ConsideredRead] = Field(default=[], description="bodies that lost, and why")


class CandidateRead(BaseModel):
    topic: str
    topic_name: str
    probability: float


class PlaceRead(BaseModel):
    kind: str
    text: str
    value: str


class HolderRead(BaseModel):
    subject: str
    name: str
    until: datetime


class AppealRead(BaseModel):
    """One appeal as an operator sees it in a queue; `version` goes back in If-Match."""

    appeal_id: uuid.UUID
    agency_id: str
    agency_name: str
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
    routing: int = Field(description="0 as first routed; one more with each move")
    status: Status
    version: int = Field(description="send it back in If-Match to change the appeal")
    holder: HolderRead | None = Field(description="who holds it in work, until when")
    merged_into: uuid.UUID | None
    closed_at: datetime | None
    body_id: str | None = Field(description="the body whose page it was written on")
    classification_reason: str | None = Field(description="why the classifier chose the topic")
    places: list[PlaceRead] = Field(description="places and institutions named in the text")
    candidates: list[CandidateRead] = Field(
        default=[], description="the classifier's three likeliest topics, best first"
    )
    explanation: ExplanationRead | None = Field(
        default=None, description="why it went to this body (none before explanations were kept)"
    )
    directory_version: str | None = Field(
        default=None, description="the directory version it was routed under"
    )
    due_at: datetime | None = Field(description="when the first answer is due (SLA monitor)")
    breached_at: datetime | None = Field(description="when it was found unanswered past that")
    sla_step: str | None = Field(
        default=None, description="the latest SLA step fired: warning-80, breach, escalation-1"
    )


class RevisionRead(BaseModel):
    revision: int
    text: str
    edited_at: datetime | None


class DeliveryRead(BaseModel):
    """An answer's way to where the appeal was written."""

    delivery_id: uuid.UUID
    appeal_id: uuid.UUID
    response_id: uuid.UUID
    platform: str
    round: int = Field(description="0 first; one more with each retry")
    state: str = Field(description="pending, delivered, failed or manual")
    reply_id: str | None = Field(description="the platform's id of the posted reply")
    reply_url: str | None = Field(description="a link to the reply on the platform")
    parts: int | None = Field(description="how many messages a long answer took")
    reason: str | None = Field(description="why it failed, as a code (docs/delivery.md)")
    detail: str | None = Field(description="the platform's error")
    updated_at: datetime
    decided_by: str | None = Field(description="who retried it or marked it delivered")


class AnswerRead(BaseModel):
    response_id: uuid.UUID
    appeal_id: uuid.UUID
    agency_id: str | None
    channel: str
    text: str | None = Field(description="null for answers the page gave on the platform")
    kind: str = Field(default="final", description="interim or final")
    author_name: str | None
    created_at: datetime
    deliveries: list[DeliveryRead] = Field(
        default=[], description="its way back to where the resident wrote"
    )


class NoteRead(BaseModel):
    note_id: uuid.UUID
    author_name: str
    text: str
    created_at: datetime


class HistoryRead(BaseModel):
    at: datetime
    actor_name: str
    action: str
    from_status: str | None
    to_status: str | None
    from_agency: str | None
    to_agency: str | None
    version: int
    detail: str | None


class AppealCard(BaseModel):
    """Everything an operator needs to decide on one appeal."""

    appeal: AppealRead
    answers: list[AnswerRead]
    notes: list[NoteRead]
    history: list[HistoryRead]
    revisions: list[RevisionRead] = Field(description="the text as written, then each edit")


class AppealPage(BaseModel):
    items: list[AppealRead]
    total: int = Field(description="appeals under these filters in the requested status")
    counts: dict[str, int] = Field(description="per status, and mine/unclaimed among the open")
    next_cursor: str | None
    status: QueueStatus


class QueueRead(AppealPage):
    agency: AgencyRead


class Me(BaseModel):
    subject: str
    name: str
    roles: list[str]
    agencies: list[str] = Field(description="whose appeals the caller sees; empty: every agency")
    region_wide: bool


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReleaseCreate(_Body):
    force: bool = Field(default=False, description="an operator frees an appeal somebody holds")


class AnswerCreate(_Body):
    text: StorableText = Field(min_length=1, max_length=10_000, description="to the resident")
    interim: bool = Field(
        default=False,
        description="an interim answer («приняли в работу, проверим до пятницы»): the first "
        "response for the SLA; the appeal stays in work until the final one",
    )


class ReassignmentCreate(_Body):
    """An operator's correction: the agency the appeal belongs to, and its topic if wrong."""

    agency_id: StorableText = Field(min_length=1, max_length=128)
    topic: StorableText | None = Field(default=None, min_length=1, max_length=128)
    topic_name: StorableText | None = Field(default=None, min_length=1, max_length=256)
    comment: StorableText | None = Field(default=None, max_length=2_000)


class ReturnCreate(_Body):
    comment: StorableText = Field(min_length=1, max_length=2_000, description="why not ours")


class PauseCreate(_Body):
    reason: StorableText = Field(
        min_length=1, max_length=500, description="what the body waits for from the resident"
    )


class NotAppealCreate(_Body):
    comment: StorableText | None = Field(default=None, max_length=2_000)


class MergeCreate(_Body):
    into: uuid.UUID = Field(description="the main appeal whose answer answers this one")


class NoteCreate(_Body):
    text: StorableText = Field(min_length=1, max_length=5_000)


class DeliveryMark(_Body):
    comment: StorableText | None = Field(
        default=None, max_length=2_000, description="how the resident got the answer"
    )
