"""The linked discussion group: comments under the channel's posts arrive there as replies to
the automatic forward of the post; the page answers as the channel, as the group (an
anonymous admin) or through its bot."""

from appeals_common.events import AppealKind, AppealThread
from ingest.domain import emit
from ingest.domain.outcomes import Ignored, Outcome
from ingest.domain.pages import Page
from ingest.domain.telegram.objects import Message, Replied
from ingest.domain.telegram.written import object_key, written


def on_discussion(message: Message, edit: emit.Edit | None, source: emit.Source) -> Outcome:
    """A resident's comment (or its edit), the page's answer, or why neither."""
    if message.is_automatic_forward:
        return Ignored("the channel's post forwarded to its discussion group")
    if _by_page(message, source.page):
        return _answer(message, edit, source)
    author = message.sender_chat or message.sender  # residents may comment "as a channel"
    if author is None or (message.sender_chat is None and message.sender and message.sender.is_bot):
        return Ignored("message by a bot")
    comment = written(message, AppealKind.COMMENT, str(author.id), thread=_thread(message, source))
    return emit.received(source, comment, edit)


def _by_page(message: Message | Replied, page: Page) -> bool:
    """Posted as the channel, as the group (an anonymous admin) or by the page's bot."""
    if message.sender_chat is not None:
        return str(message.sender_chat.id) in {page.external_id, page.discussion_id}
    return message.sender is not None and str(message.sender.id) == page.bot_id


def _answer(message: Message, edit: emit.Edit | None, source: emit.Source) -> Outcome:
    replied = message.reply_to_message
    if edit is not None:
        return Ignored("edit of the page's own message")
    if replied is None or replied.is_automatic_forward or _by_page(replied, source.page):
        return Ignored("message by the page that answers no comment")
    chat = message.chat.id
    return emit.answered(
        source,
        AppealKind.COMMENT,
        object_key(chat, replied.message_id),
        reply_key=object_key(chat, message.message_id),
        at=message.date,
    )


def _thread(message: Message, source: emit.Source) -> AppealThread:
    replied = message.reply_to_message
    origin = replied.forward_origin if replied and replied.is_automatic_forward else None
    if origin is None or origin.message_id is None:
        # A reply to another comment: which post it is under needs the thread-to-post map
        # remembered from the automatic forward (a store; see docs/ingest.md).
        return AppealThread(reply_to_id=str(replied.message_id) if replied else None)
    username = origin.chat.username if origin.chat else None
    channel = username or f"c/{source.page.external_id.removeprefix('-100')}"
    return AppealThread(
        post_id=str(origin.message_id),
        post_permalink=f"https://t.me/{channel}/{origin.message_id}",
    )
