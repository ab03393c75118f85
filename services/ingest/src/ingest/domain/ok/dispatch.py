"""What an OK group chat webhook means: a resident's message to the group is an appeal.

OK does not send the group's own messages, nor comments under posts (those need a poller)."""

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from appeals_common.events import AppealKind, Attachment, Platform
from ingest.domain import emit
from ingest.domain.ok.objects import Message, Update
from ingest.domain.outcomes import Ignored, Outcome, PayloadError, first_error
from ingest.domain.pages import Page

WEBHOOK_TYPES = frozenset(("MESSAGE_CREATED", "MESSAGE_CALLBACK", "CHAT_SYSTEM"))


class OkPayloadError(PayloadError):
    """The body is not an OK webhook we can read."""


def parse_update(body: object) -> Update:
    """Validate a webhook body."""
    try:
        return Update.model_validate(body)
    except ValidationError as exc:
        raise OkPayloadError(first_error(exc)) from exc


def type_label(update: Update) -> str:
    """The webhook type as a metrics label."""
    kind = update.webhookType or "MESSAGE_CREATED"
    return kind.lower() if kind in WEBHOOK_TYPES else "other"


def to_outcome(update: Update, page: Page, *, salt: str, received_at: datetime) -> Outcome:
    """A resident's message is an appeal keyed by its `mid`; the rest is acknowledged."""
    if update.webhookType not in {None, "MESSAGE_CREATED"}:
        return Ignored(f"webhook {type_label(update)} is not processed")
    if update.message is None or update.sender is None:
        raise OkPayloadError("message and sender: required in a new message")
    source = emit.Source(page, Platform.OK, salt, received_at)
    try:
        return emit.received(source, _written(update.message, update.sender.user_id, update))
    except ValidationError as exc:  # attachments are read from untyped parts
        raise OkPayloadError(first_error(exc)) from exc


def _written(message: Message, author_id: str, update: Update) -> emit.Written:
    return emit.Written(
        kind=AppealKind.PRIVATE_MESSAGE,
        object_key=message.mid,
        author_id=author_id,
        text=message.text or "",
        written_at=update.timestamp,
        attachments=tuple(_summary(a) for a in message.attachments or [] if _typed(a)),
    )


def _typed(item: dict[str, Any]) -> bool:
    return isinstance(item.get("type"), str)


def _summary(item: dict[str, Any]) -> Attachment:
    payload = item.get("payload")
    url = payload.get("url") if isinstance(payload, dict) else None
    return Attachment(
        type=str(item["type"]).lower()[:64],
        url=url[:4096] if isinstance(url, str) and url.startswith("https://") else None,
    )
