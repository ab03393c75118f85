"""A long answer in parts the platform takes, never cut silently: at a paragraph, a line, a
sentence or a word where one fits, each part numbered ("(1/3)") so the resident sees there
is more."""

_BREAKS = ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " ")
_MARK_ROOM = len(" (99/99)")
MAX_PARTS = 20  # an answer that needs more is a document, not a reply: refuse it


class TooLong(ValueError):
    """The text needs more than MAX_PARTS parts."""


def split_text(text: str, limit: int) -> list[str]:
    """`text` as it is when it fits in `limit` characters, else numbered parts that do."""
    if limit <= _MARK_ROOM * 2:
        raise ValueError("limit too small to split into numbered parts")
    text = text.strip()
    if len(text) <= limit:
        return [text]
    pieces, rest = [], text
    room = limit - _MARK_ROOM
    while len(rest) > room:
        cut = _cut_at(rest, room)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
        if len(pieces) >= MAX_PARTS:
            raise TooLong(f"more than {MAX_PARTS} parts of {limit} characters")
    pieces.append(rest)
    total = len(pieces)
    return [f"{piece} ({n}/{total})" for n, piece in enumerate(pieces, start=1)]


def _cut_at(text: str, room: int) -> int:
    """Where to end the next part: after the last natural break in its first half or more."""
    window = text[:room]
    for mark in _BREAKS:
        at = window.rfind(mark)
        if at >= room // 2:
            return at + len(mark.rstrip()) if mark.strip() else at
    # One long token (a link, a number) with no break in reach: cut it.
    return room
