"""MAX's Bot API as the poller uses it: `GET /messages?chat_id=` (the channel's recent posts)
and `GET /messages/{messageId}/comments` (official TS client, comments module, 2026-08-19:
`{messages: [{sender, timestamp, link, body, recipient}]}`), read into what a poll fetched.

A comment with no sender was written on behalf of the channel, one by the page's bot is the
page's too; either answers the comment its `link` (type `reply`) points at.
"""

from pydantic import BaseModel, ConfigDict, Field

from ingest.domain.max_bot import attachments
from ingest.domain.max_bot.objects import Body, User
from ingest.domain.polling.answers import parse
from ingest.domain.polling.fetched import FetchedComment, FetchedPost
from ingest.domain.timestamps import UnixMillis


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")


class LinkedBody(_Object):
    mid: str = Field(min_length=1, max_length=256)


class Link(_Object):
    type: str = Field(max_length=16)
    mid: str | None = Field(default=None, max_length=256)  # as the comment API sends it
    message: LinkedBody | None = None  # as message updates carry it

    def replied(self) -> str | None:
        if self.type != "reply":
            return None
        return self.message.mid if self.message is not None else self.mid


class Posted(_Object):
    sender: User | None = None
    timestamp: UnixMillis
    body: Body
    link: Link | None = None
    url: str | None = Field(default=None, max_length=2048)


class MessagesAnswer(_Object):
    messages: list[Posted] = Field(default=[], max_length=1000)


def posts(body: object) -> tuple[FetchedPost, ...]:
    """The channel's posts from a `GET /messages` answer."""
    answer = parse(MessagesAnswer, body)
    return tuple(FetchedPost(m.body.mid, m.url, m.timestamp) for m in answer.messages)


def comments(body: object, post_id: str, bot_id: str | None) -> tuple[FetchedComment, ...]:
    """The comments of one post from a `GET /messages/{id}/comments` answer."""
    answer = parse(MessagesAnswer, body)
    # Another bot's comment is neither the page's nor a resident's.
    return tuple(
        _comment(m, post_id, bot_id) for m in answer.messages if not _other_bot(m.sender, bot_id)
    )


def _other_bot(sender: User | None, bot_id: str | None) -> bool:
    return sender is not None and sender.is_bot and str(sender.user_id) != bot_id


def _comment(message: Posted, post_id: str, bot_id: str | None) -> FetchedComment:
    sender = message.sender
    return FetchedComment(
        id=message.body.mid,
        post_id=post_id,
        author_id="" if sender is None else str(sender.user_id),
        text=message.body.text or "",
        written_at=message.timestamp,
        by_page=sender is None or str(sender.user_id) == bot_id,
        reply_to=message.link.replied() if message.link else None,
        permalink=message.url,
        attachments=attachments.summarise(message.body.attachments),
    )
