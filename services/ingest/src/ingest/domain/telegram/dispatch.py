"""What a Telegram update means for a page: its bot's private chats and the comments under its
channel's posts, which arrive in the linked discussion group as replies to the automatic
forward of the post (`is_automatic_forward`)."""

from datetime import datetime

from pydantic import ValidationError

from appeals_common.events import AppealKind, AppealThread, Platform
from ingest.domain import emit
from ingest.domain.outcomes import Ignored, Outcome, PayloadError, first_error
from ingest.domain.pages import Page
from ingest.domain.telegram.discussion import on_discussion
from ingest.domain.telegram.objects import Message, Update
from ingest.domain.telegram.written import written

UPDATE_KINDS = frozenset(
    (
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    )
)


class TelegramPayloadError(PayloadError):
    """The body is not a Telegram update we can read."""


def parse_update(body: object) -> Update:
    """Validate an update and the message in it."""
    try:
        return Update.model_validate(body)
    except ValidationError as exc:
        raise TelegramPayloadError(first_error(exc)) from exc


def update_kind(update: Update) -> str:
    """Which field the update carries, as a metrics label: a known kind or `other`."""
    present = [k for k, v in update if k != "update_id" and v is not None]
    present += list(update.model_extra or {})
    return next((k for k in present if k in UPDATE_KINDS), "other")


def to_outcome(update: Update, page: Page, *, salt: str, received_at: datetime) -> Outcome:
    """An appeal, a revision, the page's answer, or why the update is only acknowledged."""
    try:
        return _outcome(update, emit.Source(page, Platform.TELEGRAM, salt, received_at))
    except ValidationError as exc:  # media and places are read from untyped parts
        raise TelegramPayloadError(first_error(exc)) from exc


def _outcome(update: Update, source: emit.Source) -> Outcome:
    if update.message is not None:
        return _message(update.message, None, source)
    if update.edited_message is not None:
        edited = update.edited_message
        edit = emit.Edit(edited.edit_date or source.received_at, f"tg:{update.update_id}")
        return _message(edited, edit, source)
    if update.channel_post is not None or update.edited_channel_post is not None:
        return Ignored("the channel's own post")
    return Ignored(f"update {update_kind(update)} is not processed")


def _message(message: Message, edit: emit.Edit | None, source: emit.Source) -> Outcome:
    if message.chat.type == "private":
        return _private(message, edit, source)
    if str(message.chat.id) == source.page.discussion_id:
        return on_discussion(message, edit, source)
    return Ignored("chat is not the page's")


def _private(message: Message, edit: emit.Edit | None, source: emit.Source) -> Outcome:
    if message.sender is None or message.sender.is_bot:
        return Ignored("message by a bot")
    replied = message.reply_to_message
    return emit.received(
        source,
        written(
            message,
            AppealKind.PRIVATE_MESSAGE,
            str(message.sender.id),
            thread=AppealThread(reply_to_id=str(replied.message_id)) if replied else None,
        ),
        edit,
    )
