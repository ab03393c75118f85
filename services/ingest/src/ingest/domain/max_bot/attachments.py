"""MAX attachments summarised: `{type, payload: {url, photo_id, ...}}`; `location` carries
`latitude`/`longitude` itself."""

from typing import Any

from appeals_common.events import Attachment, GeoPoint


def summarise(items: list[dict[str, Any]] | None) -> tuple[Attachment, ...]:
    """One summary per attachment that is not a location."""
    return tuple(
        _one(item)
        for item in items or []
        if isinstance(item.get("type"), str) and item["type"] != "location"
    )


def geo(items: list[dict[str, Any]] | None) -> GeoPoint | None:
    """The first shared location."""
    for item in items or []:
        if item.get("type") == "location":
            try:
                return GeoPoint(latitude=item["latitude"], longitude=item["longitude"])
            except (KeyError, ValueError):
                return None
    return None


def _one(item: dict[str, Any]) -> Attachment:
    payload = item.get("payload") if isinstance(item.get("payload"), dict) else {}
    url, ref = (payload or {}).get("url"), (payload or {}).get("photo_id")
    return Attachment(
        type=str(item["type"])[:64],
        url=url[:4096] if isinstance(url, str) and url.startswith("https://") else None,
        ref=str(ref)[:512] if isinstance(ref, int | str) else None,
    )
