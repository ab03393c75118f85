"""What a sender gets and gives back: one part of an answer to post, the reply it posted, or
why it could not."""

import uuid
from dataclasses import dataclass, field

from appeals_common.events import AppealKind, DeliveryFailure, Platform


@dataclass(frozen=True)
class Outgoing:
    """One message to post as the page, in reply to the appeal `external_id` (ingest's object
    key: `wall-1_3/4`, `msg2000000001/17`, `chat-1001/55`, ...), written by `author_id`."""

    delivery_id: uuid.UUID
    platform: Platform
    kind: AppealKind
    external_id: str
    author_id: str
    text: str = field(repr=False)  # personal data may be quoted in an answer


@dataclass(frozen=True)
class Posted:
    """The reply the platform made. `reply_id` is in the object-key format of ingest's own
    dispatch (`wall-1_3/99`, `msg2000000001/18`, `chat-1001/56`, ...), so that the webhook or
    poll that later shows us our own reply computes the same response id and knows it."""

    reply_id: str
    reply_url: str | None = None


class SendError(Exception):
    """The platform did not post the message (or we cannot tell whether it did).

    `retryable`: trying again later may work (rate limits, 5xx, network); `retry_after_s`: how
    long the platform asked us to wait. `maybe_posted`: the request may have reached the
    platform and been done (a timeout after sending, a dropped connection): a platform without
    an idempotency key must not be called again without an operator's decision.
    `detail` names the platform's error code and message, never the text or the token.
    """

    def __init__(
        self,
        reason: DeliveryFailure,
        detail: str,
        *,
        retryable: bool = False,
        retry_after_s: float | None = None,
        maybe_posted: bool = False,
    ) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail[:500]
        self.retryable = retryable
        self.retry_after_s = retry_after_s
        self.maybe_posted = maybe_posted
