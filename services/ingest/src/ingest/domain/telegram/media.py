"""Telegram media summarised: a type and the file id (a URL would need the bot's token)."""

from typing import Any

from appeals_common.events import Attachment, GeoPoint
from ingest.domain.telegram.objects import Message

_MEDIA = ("video", "document", "voice", "audio", "sticker", "animation", "video_note")


def summarise(message: Message) -> tuple[Attachment, ...]:
    """One summary per media field the message carries."""
    extra = message.model_extra or {}
    found = []
    photo = extra.get("photo")
    if isinstance(photo, list) and photo and isinstance(photo[-1], dict):  # largest size last
        found.append(Attachment(type="photo", ref=_file_id(photo[-1])))
    for kind in _MEDIA:
        if isinstance(extra.get(kind), dict):
            found.append(Attachment(type=kind, ref=_file_id(extra[kind])))
    return tuple(found)


def geo(message: Message) -> GeoPoint | None:
    """`location`, or a `venue` (a location with a title and address)."""
    venue = message.venue or {}
    raw = message.location or venue.get("location")
    if not isinstance(raw, dict):
        return None
    try:
        place = venue.get("address") or venue.get("title")
        return GeoPoint(
            latitude=raw["latitude"],
            longitude=raw["longitude"],
            place=place[:1024] if isinstance(place, str) else None,
        )
    except (KeyError, ValueError):
        return None


def _file_id(media: dict[str, Any]) -> str | None:
    value = media.get("file_id")
    return value[:512] if isinstance(value, str) else None
