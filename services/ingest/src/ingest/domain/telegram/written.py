"""A Telegram message as what a resident wrote, and the key its appeal id derives from."""

from appeals_common.events import AppealKind, AppealThread
from ingest.domain import emit
from ingest.domain.telegram import media
from ingest.domain.telegram.objects import Message


def object_key(chat_id: int, message_id: int) -> str:
    """Fixed forever: the appeal id is derived from it."""
    return f"chat{chat_id}/{message_id}"


def written(
    message: Message, kind: AppealKind, author_id: str, *, thread: AppealThread | None
) -> emit.Written:
    """What the message says: text or caption, media, place, and a link when the post is known."""
    return emit.Written(
        kind=kind,
        object_key=object_key(message.chat.id, message.message_id),
        author_id=author_id,
        text=message.text or message.caption or "",
        written_at=message.date,
        permalink=_permalink(message, thread),
        thread=thread,
        attachments=media.summarise(message),
        geo=media.geo(message),
    )


def _permalink(message: Message, thread: AppealThread | None) -> str | None:
    if thread is None or thread.post_permalink is None:
        return None
    return f"{thread.post_permalink}?comment={message.message_id}"
