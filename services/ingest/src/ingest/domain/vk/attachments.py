"""VK attachments and geo, summarised: a type, a link where one exists, VK's id of the object.

Attachments are `{type, <type>: {...}}`; their inner shapes vary by type and API version, so
what cannot be read is left out rather than refusing the resident's appeal.
"""

from typing import Any

from appeals_common.events import Attachment, GeoPoint

# Where the object can be seen, for types whose link is not in the object itself.
_PAGE_OF = {"video": "video", "wall": "wall", "market": "product", "photo": "photo"}
_URL_KEYS = ("url", "link_mp3", "link_ogg", "player")


def summarise(items: list[dict[str, Any]]) -> tuple[Attachment, ...]:
    """One summary per attachment that has a type."""
    return tuple(_one(item) for item in items if isinstance(item.get("type"), str))


def geo(raw: dict[str, Any] | None) -> GeoPoint | None:
    """Messages: `coordinates: {latitude, longitude}`; posts: `coordinates: "lat lon"`."""
    if not raw:
        return None
    coordinates = raw.get("coordinates")
    try:
        if isinstance(coordinates, dict):
            lat, lon = float(coordinates["latitude"]), float(coordinates["longitude"])
        elif isinstance(coordinates, str):
            lat, lon = (float(part) for part in coordinates.split())
        else:
            return None
        return GeoPoint(latitude=lat, longitude=lon, place=_place(raw.get("place")))
    except (KeyError, TypeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None


def _one(item: dict[str, Any]) -> Attachment:
    kind: str = item["type"][:64]
    inner = item.get(kind)
    if not isinstance(inner, dict):
        return Attachment(type=kind)
    ref = _ref(kind, inner)
    return Attachment(type=kind, url=_url(kind, inner, ref), ref=ref)


def _ref(kind: str, inner: dict[str, Any]) -> str | None:
    owner = inner.get("owner_id", inner.get("to_id"))
    if isinstance(owner, int) and isinstance(inner.get("id"), int):
        return f"{kind}{owner}_{inner['id']}"
    return None


def _url(kind: str, inner: dict[str, Any], ref: str | None) -> str | None:
    if (
        kind == "photo"
        and isinstance(inner.get("sizes"), list)
        and (largest := _largest(inner["sizes"]))
    ):
        return largest
    for key in _URL_KEYS:
        if isinstance(inner.get(key), str) and inner[key].startswith("https://"):
            return str(inner[key])[:4096]
    if ref and kind in _PAGE_OF:
        return f"https://vk.com/{ref.replace(kind, _PAGE_OF[kind], 1)}"
    return None


def _largest(sizes: list[Any]) -> str | None:
    def area(size: dict[str, Any]) -> int:
        width, height = size.get("width"), size.get("height")
        return width * height if isinstance(width, int) and isinstance(height, int) else 0

    readable = [s for s in sizes if isinstance(s, dict) and isinstance(s.get("url"), str)]
    return str(max(readable, key=area)["url"])[:4096] if readable else None


def _place(raw: object) -> str | None:
    if not isinstance(raw, dict):
        return None
    for key in ("address", "title"):
        if isinstance(raw.get(key), str) and raw[key]:
            return str(raw[key])[:1024]
    return None
