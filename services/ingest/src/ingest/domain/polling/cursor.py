"""Where polling a page stopped: per recent post, the newest comment time seen and the ids seen
at that very time (two comments may share a millisecond, and a later poll may return only one
of them at first). A comment is new when it is later than its post's mark, or at the mark and
not among its ids. Stored as JSON in `ingest.poll_cursors.cursor`."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ingest.domain.polling.fetched import FetchedComment


@dataclass(frozen=True)
class PostMark:
    post_id: str
    published_ms: int
    newest_ms: int = -1  # no comment seen yet
    ids_at_newest: frozenset[str] = field(default_factory=frozenset)

    def is_new(self, comment_id: str, written_ms: int) -> bool:
        return written_ms > self.newest_ms or (
            written_ms == self.newest_ms and comment_id not in self.ids_at_newest
        )

    def seen(self, comment_id: str, written_ms: int) -> "PostMark":
        """The mark once this comment has been published."""
        if written_ms > self.newest_ms:
            return PostMark(self.post_id, self.published_ms, written_ms, frozenset({comment_id}))
        if written_ms == self.newest_ms:
            ids = self.ids_at_newest | {comment_id}
            return PostMark(self.post_id, self.published_ms, self.newest_ms, ids)
        return self


@dataclass(frozen=True)
class Cursor:
    """The marks of the page's most recent posts, newest post first."""

    marks: tuple[PostMark, ...] = ()

    def mark(self, post_id: str) -> PostMark | None:
        return next((m for m in self.marks if m.post_id == post_id), None)

    def to_json(self) -> dict[str, Any]:
        return {"posts": [_mark_json(m) for m in self.marks]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> "Cursor":
        """The stored cursor; an empty one for a page never polled (or an unreadable row)."""
        posts = (data or {}).get("posts")
        if not isinstance(posts, list):
            return cls()
        try:
            return cls(tuple(_mark(item) for item in posts if isinstance(item, dict)))
        except (TypeError, ValueError):
            # Polling from scratch republishes recent comments, which ids make harmless;
            # refusing would stop the page's polling for good.
            return cls()


def newest_posts(marks: Iterable[PostMark], keep: int) -> tuple[PostMark, ...]:
    """The `keep` most recently published posts' marks, newest first."""
    ordered = sorted(marks, key=lambda m: (m.published_ms, m.post_id), reverse=True)
    return tuple(ordered[:keep])


def comment_order(comment: FetchedComment) -> tuple[object, ...]:
    """Oldest first, so an appeal is published before the page's answer to it."""
    return (comment.written_at, comment.by_page, comment.id)


def _mark_json(mark: PostMark) -> dict[str, Any]:
    return {
        "post": mark.post_id,
        "published_ms": mark.published_ms,
        "newest_ms": mark.newest_ms,
        "ids": sorted(mark.ids_at_newest),
    }


def _mark(item: Mapping[str, Any]) -> PostMark:
    ids = item.get("ids", [])
    if not isinstance(ids, list):
        raise TypeError("ids: a list is required")
    return PostMark(
        str(item.get("post", "")),
        int(item.get("published_ms", 0)),
        int(item.get("newest_ms", -1)),
        frozenset(str(i) for i in ids),
    )
