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


class Attachment(BaseModel):
    """What was attached to an appeal, summarised: its type and where to see it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(max_length=64, description="photo, video, doc, audio, link, sticker, ...")
    url: str | None = Field(default=None, max_length=4096)
    ref: str | None = Field(
        default=None, max_length=512, description="the platform's id of the file or object"
    )


class GeoPoint(BaseModel):
    """A location the author shared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    place: str | None = Field(default=None, max_length=1024, description="place name or address")


class AppealThread(BaseModel):
    """Where the appeal was written: the post commented on and the comment replied to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    post_id: str | None = Field(
        default=None, description="the post, photo, video, item or topic commented on"
    )
    post_permalink: str | None = Field(default=None, description="link to the original post")
    reply_to_id: str | None = Field(
        default=None, description="the comment or message this one replies to"
    )


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
    thread: AppealThread | None = None
    attachments: tuple[Attachment, ...] = Field(default=(), max_length=100)
    geo: GeoPoint | None = None
    revision: int = Field(
        default=0,
        ge=0,
        description="0 for the original; an edit republishes the appeal with a higher revision "
        "(the edit time in Unix milliseconds), so the highest revision is the current text",
    )
    edited_at: AwareDatetime | None = Field(default=None, description="set on revisions > 0")


class PlaceMention(BaseModel):
    """A place or object named in an appeal's text: an address part, a toponym, an institution."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(description="street, house, settlement, district or institution")
    text: str = Field(description="as written")
    value: str = Field(description="normalised, e.g. 'улица Ленина', 'школа № 5'")


class Confidences(BaseModel):
    """How sure the classifier is of each of its decisions, from 0 to 1."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: float = Field(ge=0.0, le=1.0, description="appeal or which kind of non-appeal")
    topic: float = Field(ge=0.0, le=1.0)
    body_type: float = Field(ge=0.0, le=1.0)
    urgency: float = Field(ge=0.0, le=1.0)


class TopicCandidate(BaseModel):
    """One of the classifier's best guesses of the topic, with its probability."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: str
    topic_name: str
    probability: float = Field(ge=0.0, le=1.0)


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
    category: str = Field(default="appeal", description="appeal, gratitude, chatter, spam or abuse")
    subtopic: str | None = Field(default=None, description="subtopic id within the topic")
    subtopic_name: str | None = None
    totk_section: str | None = Field(default=None, description="ТОТК section code, e.g. 0005")
    body_level: str | None = Field(default=None, description="federal, regional or municipal")
    places: tuple[PlaceMention, ...] = Field(default=(), max_length=20)
    confidences: Confidences | None = None
    candidates: tuple[TopicCandidate, ...] = Field(
        default=(),
        max_length=3,
        description="the three likeliest topics, best first: for triage to pick from",
    )


class AppealClassified(EventPayload):
    event_type = "appeal.classified"

    appeal: AppealReceived
    classification: Classification


class AppealRouted(EventPayload):
    """Where an appeal is now: the first routing, and again after each reassignment."""

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
    routing: int = Field(
        default=0, ge=0, description="0 when first routed; one more with each reassignment"
    )


class ClassificationCorrected(EventPayload):
    """An operator corrected where an appeal belongs: a label the classifier can learn from."""

    event_type = "classification.corrected"

    appeal_id: uuid.UUID
    text: str = Field(max_length=50_000, description="the appeal's text, as it was classified")
    topic_before: str
    topic_after: str
    agency_before: str
    agency_after: str
    comment: str | None = Field(default=None, max_length=2_000)
    corrected_at: AwareDatetime


class AnswerKind(StrEnum):
    INTERIM = "interim"  # «приняли в работу, проверим до пятницы»: a first response
    FINAL = "final"  # resolves the appeal


class AppealAnswered(EventPayload):
    event_type = "appeal.answered"

    appeal_id: uuid.UUID
    response_id: uuid.UUID
    agency_id: str | None
    channel: ResponseChannel
    answered_at: AwareDatetime
    kind: AnswerKind = Field(
        default=AnswerKind.FINAL,
        description="interim: the first response, the appeal stays in work; final: resolved",
    )


class AppealPauseChanged(EventPayload):
    """The body waits for the resident («ждём уточнения от заявителя») or stops waiting: the
    SLA clock stops and runs on. One event type for both, on one topic keyed by the appeal,
    so a pause and its end arrive in order."""

    event_type = "appeal.pause_changed"

    appeal_id: uuid.UUID
    agency_id: str
    paused: bool = Field(description="true: the wait begins; false: it ends")
    at: AwareDatetime
    reason: str | None = Field(default=None, description="why the body waits (a pause)")
    by_resident: bool = Field(
        default=False, description="a wait ended by the resident's next message in the thread"
    )


class AppealWithdrawn(EventPayload):
    """The appeal's object was deleted on the platform: by its author or by the page."""

    event_type = "appeal.withdrawn"

    appeal_id: uuid.UUID
    platform: Platform
    page_id: str
    external_id: str = Field(description="the deleted object's id on the platform")
    deleted_by: str | None = Field(
        default=None,
        description="platform id of who deleted it, when the platform says; compare with the "
        "author's to tell a withdrawal from moderation",
    )
    withdrawn_at: AwareDatetime


class AppealClosed(EventPayload):
    """An operator closed the appeal without an answer of its own: a duplicate merged into
    another appeal (that one's answer answers it), or not an appeal at all. No answer is due."""

    event_type = "appeal.closed"

    appeal_id: uuid.UUID
    agency_id: str
    reason: str = Field(description="merged or not_appeal")
    merged_into: uuid.UUID | None = None
    closed_at: AwareDatetime


class SlaDeadlineSet(EventPayload):
    """When the first answer to an appeal is due: the queues sort and flag by it."""

    event_type = "sla.deadline_set"

    appeal_id: uuid.UUID
    agency_id: str
    deadline: AwareDatetime
    target_seconds: int


class SlaBreached(EventPayload):
    event_type = "sla.breached"

    appeal_id: uuid.UUID
    agency_id: str
    deadline: AwareDatetime
    detected_at: AwareDatetime
    target_seconds: int
