"""From what a platform object says to the event we publish, with its deterministic ids.

Event ids are what makes a platform's redelivery a no-op downstream:
- an appeal's original is `uuid5(appeal_id, "received")`;
- an edit or a restore is a revision: the edit time in Unix milliseconds (the platform's when it
  says, else when we received it), and its event id comes from the platform's id of that
  delivery (VK `event_id`, Telegram `update_id`, MAX update time), so a retry of the same edit is
  the same event while the next edit is another;
- a withdrawal likewise; an official reply's event id is its response id.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from appeals_common.events import (
    AppealAnswered,
    AppealKind,
    AppealReceived,
    AppealThread,
    AppealWithdrawn,
    Attachment,
    Author,
    GeoPoint,
    Platform,
    ResponseChannel,
)
from ingest.domain.normalise import appeal_id, author_key, clean_text, response_id
from ingest.domain.outcomes import Emit, Ignored, Outcome
from ingest.domain.pages import Page
from ingest.domain.timestamps import unix_millis


@dataclass(frozen=True)
class Source:
    """Where an event came from and when we got it: what every builder below needs."""

    page: Page
    platform: Platform
    salt: str
    received_at: datetime

    def appeal_id(self, kind: AppealKind, object_key: str) -> uuid.UUID:
        return appeal_id(self.platform, self.page.external_id, kind, object_key)


@dataclass(frozen=True)
class Written:
    """What a resident wrote, as read from one platform object."""

    kind: AppealKind
    object_key: str
    author_id: str
    text: str
    written_at: datetime
    permalink: str | None = None
    thread: AppealThread | None = None
    attachments: tuple[Attachment, ...] = ()
    geo: GeoPoint | None = None


@dataclass(frozen=True)
class Edit:
    """An edit or restore: when it happened and the platform's id of this delivery."""

    edited_at: datetime
    delivery_key: str | None


def received(source: Source, written: Written, edit: Edit | None = None) -> Outcome:
    """The appeal (revision 0) or a revision of it; nothing when it has nothing in it."""
    text = clean_text(written.text)
    if not text and not written.attachments and written.geo is None:
        return Ignored("nothing readable or attached")
    appeal_id = source.appeal_id(written.kind, written.object_key)
    revision = unix_millis(edit.edited_at) if edit else 0
    appeal = AppealReceived(
        appeal_id=appeal_id,
        platform=source.platform,
        kind=written.kind,
        page_id=source.page.id,
        body_id=source.page.body_id,
        external_id=written.object_key,
        permalink=written.permalink,
        author=Author(
            platform_id=written.author_id,
            key=author_key(source.salt, source.platform, written.author_id),
        ),
        text=text,
        written_at=written.written_at,
        received_at=source.received_at,
        thread=written.thread,
        attachments=written.attachments[:100],
        geo=written.geo,
        revision=revision,
        edited_at=edit.edited_at if edit else None,
    )
    if edit is None:
        return Emit(appeal, uuid.uuid5(appeal_id, "received"))
    return Emit(appeal, uuid.uuid5(appeal_id, f"received:{edit.delivery_key or revision}"))


def withdrawn(
    source: Source,
    kind: AppealKind,
    object_key: str,
    *,
    deleted_by: str | None,
    at: datetime,
    delivery_key: str | None,
) -> Emit:
    """The appeal's object was deleted on the platform."""
    appeal_id = source.appeal_id(kind, object_key)
    payload = AppealWithdrawn(
        appeal_id=appeal_id,
        platform=source.platform,
        page_id=source.page.id,
        external_id=object_key,
        deleted_by=deleted_by,
        withdrawn_at=at,
    )
    return Emit(payload, uuid.uuid5(appeal_id, f"withdrawn:{delivery_key or ''}"))


def answered(
    source: Source, kind: AppealKind, answered_key: str, *, reply_key: str, at: datetime
) -> Emit:
    """The page itself replied on the platform to the appeal `answered_key`."""
    reply_id = response_id(source.platform, source.page.external_id, reply_key)
    payload = AppealAnswered(
        appeal_id=source.appeal_id(kind, answered_key),
        response_id=reply_id,
        agency_id=None,
        channel=ResponseChannel.PLATFORM,
        answered_at=at,
    )
    return Emit(payload, reply_id)
