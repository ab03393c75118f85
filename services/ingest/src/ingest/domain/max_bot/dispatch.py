"""What a MAX update means for a page: messages to its bot in dialogs and in the page's group
chats; the bot's (or the channel's) own replies; edits and removals."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from appeals_common.events import AppealKind, AppealThread, Platform
from ingest.domain import emit
from ingest.domain.max_bot import attachments
from ingest.domain.max_bot.objects import Message, Update
from ingest.domain.normalise import message_appeal_id
from ingest.domain.outcomes import Ignored, Outcome, PayloadError, first_error
from ingest.domain.pages import Page

UPDATE_TYPES = frozenset(
    (
        "message_created",
        "message_edited",
        "message_removed",
        "message_callback",
        "bot_added",
        "bot_removed",
        "user_added",
        "user_removed",
        "bot_started",
        "bot_stopped",
        "chat_title_changed",
        "message_chat_created",
        "dialog_cleared",
        "dialog_removed",
        "dialog_muted",
        "dialog_unmuted",
        "message_construction_request",
        "message_constructed",
    )
)


class MaxPayloadError(PayloadError):
    """The body is not a MAX update we can read."""


@dataclass(frozen=True)
class _MaxSource(emit.Source):
    def appeal_id(self, kind: AppealKind, object_key: str) -> uuid.UUID:
        # `message_removed` does not say the chat type, so the id cannot depend on the kind.
        return message_appeal_id(self.platform, self.page.external_id, object_key)


def parse_update(body: object) -> Update:
    """Validate an update and the message in it."""
    try:
        return Update.model_validate(body)
    except ValidationError as exc:
        raise MaxPayloadError(first_error(exc)) from exc


def type_label(update_type: str) -> str:
    """The update type as a metrics label: a documented type or `other`."""
    return update_type if update_type in UPDATE_TYPES else "other"


def to_outcome(update: Update, page: Page, *, salt: str, received_at: datetime) -> Outcome:
    """An appeal, a revision, a withdrawal, the page's answer, or why it is only acknowledged."""
    try:
        return _outcome(update, _MaxSource(page, Platform.MAX, salt, received_at))
    except ValidationError as exc:  # attachments are read from untyped parts
        raise MaxPayloadError(first_error(exc)) from exc


def _outcome(update: Update, source: emit.Source) -> Outcome:
    if update.update_type == "message_removed":
        return _removed(update, source)
    if update.update_type not in {"message_created", "message_edited"}:
        return Ignored(f"update {type_label(update.update_type)} is not processed")
    if update.message is None:
        raise MaxPayloadError(f"message: required in {update.update_type}")
    edited = update.update_type == "message_edited"
    edit = emit.Edit(update.timestamp, update.delivery_key) if edited else None
    return _message(update.message, edit, source)


def _message(message: Message, edit: emit.Edit | None, source: emit.Source) -> Outcome:
    if message.sender is None or str(message.sender.user_id) == source.page.bot_id:
        return _answer(message, edit, source)
    if message.recipient.chat_type == "channel":
        return Ignored("post in the page's channel")
    if message.sender.is_bot:
        return Ignored("message by a bot")
    replied = _replied(message)
    body = message.body
    written = emit.Written(
        kind=_kind(message),
        object_key=body.mid,
        author_id=str(message.sender.user_id),
        text=body.text or "",
        written_at=message.timestamp,
        permalink=message.url,
        thread=AppealThread(reply_to_id=replied) if replied else None,
        attachments=attachments.summarise(body.attachments),
        geo=attachments.geo(body.attachments),
    )
    return emit.received(source, written, edit)


def _answer(message: Message, edit: emit.Edit | None, source: emit.Source) -> Outcome:
    replied = _replied(message)
    if edit is not None:
        return Ignored("edit of the page's own message")
    if replied is None or message.recipient.chat_type == "channel":
        return Ignored("message by the page that answers no message")
    return emit.answered(
        source, _kind(message), replied, reply_key=message.body.mid, at=message.timestamp
    )


def _removed(update: Update, source: emit.Source) -> Outcome:
    if update.message_id is None:
        raise MaxPayloadError("message_id: required in message_removed")
    return emit.withdrawn(
        source,
        AppealKind.PRIVATE_MESSAGE,  # not part of a MAX appeal id; see _MaxSource
        update.message_id,
        deleted_by=None if update.user_id is None else str(update.user_id),
        at=update.timestamp,
        delivery_key=update.delivery_key,
    )


def _kind(message: Message) -> AppealKind:
    if message.recipient.chat_type == "dialog":
        return AppealKind.PRIVATE_MESSAGE
    return AppealKind.COMMENT


def _replied(message: Message) -> str | None:
    link = message.link
    if link is None or link.type != "reply" or link.message is None:
        return None
    return link.message.mid
