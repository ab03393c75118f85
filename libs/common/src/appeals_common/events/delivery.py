"""Payloads of an answer's way back to the resident: the router asks for a delivery, the
platform edge (ingest's delivery worker) posts it and says how it went."""

import uuid
from enum import StrEnum

from pydantic import AwareDatetime, Field

from appeals_common.events.appeals import AppealKind, Platform
from appeals_common.events.envelope import EventPayload


class DeliveryFailure(StrEnum):
    """Why a delivery failed, as a stable code (a metric label, a key for the Russian text)."""

    RATE_LIMITED = "rate_limited"  # the platform kept refusing for too many requests
    FLOOD_CONTROL = "flood_control"  # VK's flood control: too many identical or rapid posts
    ACCESS_DENIED = "access_denied"  # the token lacks a permission, or the page lost access
    TARGET_DELETED = "target_deleted"  # the resident's comment or message is gone
    BLOCKED_BY_USER = "blocked_by_user"  # the resident blocked the page or its bot
    CAPTCHA = "captcha"  # the platform wants a human to solve a captcha
    TOO_LONG = "too_long"  # longer than the platform takes, and it cannot be split
    INVALID_TOKEN = "invalid_token"  # the page's token is wrong, expired or revoked
    NO_CREDENTIALS = "no_credentials"  # the page has no token to post with
    UNKNOWN_PAGE = "unknown_page"  # the page is not (or no longer) in the registry
    UNSUPPORTED = "unsupported"  # nowhere to reply to on this platform (the generic API)
    OUTCOME_UNKNOWN = "outcome_unknown"  # the call may have posted: an operator decides
    PLATFORM_ERROR = "platform_error"  # the platform kept failing (5xx, network)


class AnswerRequested(EventPayload):
    """Deliver an answer to where the appeal was written. A new `round` is an operator's
    decision to try again after a failure (or an unknown outcome)."""

    event_type = "answer.requested"

    delivery_id: uuid.UUID = Field(description="uuid5(response_id, appeal_id): one per target")
    appeal_id: uuid.UUID
    response_id: uuid.UUID
    platform: Platform
    kind: AppealKind
    page_id: str
    external_id: str = Field(description="the appeal's object on the platform, as ingest keys it")
    author_platform_id: str = Field(description="who wrote it: the dialog to answer in")
    text: str = Field(min_length=1, max_length=50_000)
    round: int = Field(default=0, ge=0, description="0 first; one more with each operator retry")
    requested_at: AwareDatetime


class AnswerDelivered(EventPayload):
    event_type = "answer.delivered"

    delivery_id: uuid.UUID
    appeal_id: uuid.UUID
    response_id: uuid.UUID
    platform: Platform
    round: int = Field(ge=0)
    reply_id: str = Field(description="the platform's id of the posted reply (its first part)")
    reply_url: str | None = Field(default=None, description="a link to the reply, where one is")
    parts: int = Field(default=1, ge=1, description="how many messages a long answer took")
    delivered_at: AwareDatetime


class AnswerFailed(EventPayload):
    event_type = "answer.failed"

    delivery_id: uuid.UUID
    appeal_id: uuid.UUID
    response_id: uuid.UUID
    platform: Platform
    round: int = Field(ge=0)
    reason: DeliveryFailure
    detail: str = Field(max_length=500, description="the platform's error code and message")
    failed_at: AwareDatetime
