"""From what a poll fetched and where the last one stopped: the events to publish and the
cursor to store once Kafka has them all.

Object keys are fixed forever (the appeal id derives from them): `<prefix><post id>/<comment
id>`, with prefix `topic` for OK (a group topic) and `post` for MAX (a channel message). A
comment by the page itself that replies to a comment is that comment's answer; other comments
by the page are ignored.
"""

from dataclasses import dataclass

from appeals_common.events import AppealKind, AppealThread
from ingest.domain import emit
from ingest.domain.outcomes import Emit
from ingest.domain.polling.cursor import Cursor, PostMark, comment_order, newest_posts
from ingest.domain.polling.fetched import Fetched, FetchedComment, FetchedPost
from ingest.domain.timestamps import unix_millis


@dataclass(frozen=True)
class Decision:
    emits: tuple[Emit, ...]
    cursor: Cursor


def object_key(prefix: str, post_id: str, comment_id: str) -> str:
    """`topic<post>/<comment>` (OK) or `post<post>/<comment>` (MAX)."""
    return f"{prefix}{post_id}/{comment_id}"


def decide(
    fetched: Fetched, cursor: Cursor, source: emit.Source, *, prefix: str, keep_posts: int
) -> Decision:
    """New comments, oldest first, once each; the cursor of the `keep_posts` newest posts."""
    posts = {post.id: post for post in fetched.posts}
    marks = {m.post_id: m for m in cursor.marks}
    for post in fetched.posts:
        marks.setdefault(post.id, PostMark(post.id, unix_millis(post.published_at)))
    emits: list[Emit] = []
    for comment in sorted(_unique(fetched.comments), key=comment_order):
        mark, found = marks.get(comment.post_id), posts.get(comment.post_id)
        written_ms = unix_millis(comment.written_at)
        if mark is None or found is None or not mark.is_new(comment.id, written_ms):
            continue
        marks[comment.post_id] = mark.seen(comment.id, written_ms)
        outcome = _outcome(comment, found, source, prefix)
        if outcome is not None:
            emits.append(outcome)
    return Decision(tuple(emits), Cursor(newest_posts(marks.values(), keep_posts)))


def _unique(comments: tuple[FetchedComment, ...]) -> list[FetchedComment]:
    # Overlapping pages of one fetch may return a comment twice.
    return list({(c.post_id, c.id): c for c in comments}.values())


def _outcome(
    comment: FetchedComment, post: FetchedPost, source: emit.Source, prefix: str
) -> Emit | None:
    key = object_key(prefix, post.id, comment.id)
    if comment.by_page:
        if comment.reply_to is None:
            return None
        answered_key = object_key(prefix, post.id, comment.reply_to)
        return emit.answered(
            source, AppealKind.COMMENT, answered_key, reply_key=key, at=comment.written_at
        )
    written = emit.Written(
        kind=AppealKind.COMMENT,
        object_key=key,
        author_id=comment.author_id,
        text=comment.text,
        written_at=comment.written_at,
        permalink=comment.permalink or post.permalink,
        thread=AppealThread(
            post_id=f"{prefix}{post.id}",
            post_permalink=post.permalink,
            reply_to_id=comment.reply_to,
        ),
        attachments=comment.attachments,
    )
    outcome = emit.received(source, written)
    return outcome if isinstance(outcome, Emit) else None
