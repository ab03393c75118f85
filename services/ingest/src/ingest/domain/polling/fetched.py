"""What one poll of a page fetched, in the same shape for every polled platform."""

from dataclasses import dataclass
from datetime import datetime

from appeals_common.events import Attachment


@dataclass(frozen=True)
class FetchedPost:
    """One of the page's recent posts: its platform id, link and publication time."""

    id: str
    permalink: str | None
    published_at: datetime


@dataclass(frozen=True)
class FetchedComment:
    """A comment under `post_id`; `by_page` when the page itself wrote it."""

    id: str
    post_id: str
    author_id: str
    text: str
    written_at: datetime
    by_page: bool = False
    reply_to: str | None = None  # the comment replied to, when the API says so
    permalink: str | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Fetched:
    posts: tuple[FetchedPost, ...]
    comments: tuple[FetchedComment, ...]
