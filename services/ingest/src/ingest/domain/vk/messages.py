"""Private messages to the community: `message_new`, `message_edit`, and `message_reply` (the
community's own outgoing message, which answers the resident's message it quotes)."""

from typing import Any

from appeals_common.events import AppealKind, AppealThread
from ingest.domain import emit
from ingest.domain.outcomes import Ignored, Outcome
from ingest.domain.vk import attachments
from ingest.domain.vk.envelope import VkCallback
from ingest.domain.vk.objects import Message


def message_of(callback: VkCallback) -> Message:
    """The message: 5.103+ wraps `message_new` as `{message, client_info}`, older is flat."""
    obj = callback.object or {}
    wrapped = obj.get("message")
    return Message.model_validate(wrapped if isinstance(wrapped, dict) else obj)


def object_key(peer_id: int, local_id: int) -> str:
    """Fixed forever: the appeal id is derived from it."""
    return f"msg{peer_id}/{local_id}"


def on_message(action: str, callback: VkCallback, source: emit.Source) -> Outcome:
    """`message_new` is an appeal, `message_edit` a revision, `message_reply` an answer."""
    message = message_of(callback)
    if action == "reply":
        return _answer(message, callback, source)
    if message.from_id < 0:
        return Ignored("message by a community")
    written = emit.Written(
        kind=AppealKind.PRIVATE_MESSAGE,
        object_key=object_key(message.peer_id, message.local_id),
        author_id=str(message.from_id),
        text=message.text,
        written_at=message.date,
        thread=_thread(message),
        attachments=attachments.summarise(message.attachments),
        geo=attachments.geo(message.geo),
    )
    if action == "new":
        return emit.received(source, written)
    edited_at = message.update_time or source.received_at
    return emit.received(source, written, emit.Edit(edited_at, callback.delivery_key))


def _thread(message: Message) -> AppealThread | None:
    replied = _local_id(message.reply_message)
    return AppealThread(reply_to_id=str(replied)) if replied is not None else None


def _answer(message: Message, callback: VkCallback, source: emit.Source) -> Outcome:
    if message.from_id != -callback.group_id:
        return Ignored("outgoing message not by the page")
    quoted = message.reply_message or next(iter(message.fwd_messages), None)
    replied = _local_id(quoted)
    if quoted is None or replied is None or _author(quoted) <= 0:
        # Without a quote we cannot tell which message it answers; see docs/ingest.md.
        return Ignored("message by the page that quotes no resident's message")
    return emit.answered(
        source,
        AppealKind.PRIVATE_MESSAGE,
        object_key(message.peer_id, replied),
        reply_key=object_key(message.peer_id, message.local_id),
        at=message.date,
    )


def _local_id(quoted: dict[str, Any] | None) -> int | None:
    value = (quoted or {}).get("conversation_message_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _author(quoted: dict[str, Any]) -> int:
    value = quoted.get("from_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
