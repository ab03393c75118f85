"""Comments under wall posts, photos, videos and market items, and posts in board topics.

The five families share one comment object and differ in where the parent's id and owner are,
in the appeal kind and in the links. Their `_new` is an appeal (or, by the page itself, an
answer), `_edit` and `_restore` a revision, `_delete` a withdrawal.
"""

from dataclasses import dataclass
from typing import Any

from appeals_common.events import AppealKind, AppealThread
from ingest.domain import emit
from ingest.domain.outcomes import Emit, Ignored, Outcome
from ingest.domain.vk import attachments
from ingest.domain.vk.envelope import VkCallback
from ingest.domain.vk.objects import Comment, Deletion


@dataclass(frozen=True)
class Family:
    prefix: str  # VK's object prefix, as in vk.com/wall-1_2, vk.com/photo-1_2, vk.com/topic-1_2
    parent_field: str
    owner_fields: tuple[str, ...]
    kind: AppealKind = AppealKind.COMMENT
    page: str | None = None  # the page that shows the parent, when it is not named `prefix`
    anchor: str | None = None  # the query parameter that points at one comment

    def parent(self, obj: dict[str, Any], group_id: int) -> tuple[int, int]:
        """(owner, parent id) of the commented object; the owner defaults to the community."""
        parent = obj.get(self.parent_field)
        if isinstance(parent, bool) or not isinstance(parent, int):
            raise ValueError(f"{self.parent_field}: an integer is required")
        owners = [obj.get(name) for name in self.owner_fields]
        owner = next((o for o in owners if isinstance(o, int) and o), -group_id)
        return owner, parent

    def post_permalink(self, owner: int, parent: int) -> str:
        return f"https://vk.com/{self.page or self.prefix}{owner}_{parent}"

    def permalink(self, owner: int, parent: int, comment: int) -> str:
        link = self.post_permalink(owner, parent)
        return f"{link}?{self.anchor}={comment}" if self.anchor else link


FAMILIES = {
    "wall_reply": Family("wall", "post_id", ("post_owner_id", "owner_id"), anchor="reply"),
    "photo_comment": Family("photo", "photo_id", ("photo_owner_id", "owner_id")),
    "video_comment": Family("video", "video_id", ("video_owner_id", "owner_id")),
    "market_comment": Family("market", "item_id", ("market_owner_id", "owner_id"), page="product"),
    "board_post": Family(
        "topic", "topic_id", ("topic_owner_id",), kind=AppealKind.BOARD_POST, anchor="post"
    ),
}


def object_key(family: Family, owner: int, parent: int, comment: int) -> str:
    """Fixed forever: the appeal id is derived from it (`wall-1_3/4` is comment 4 on post 3)."""
    return f"{family.prefix}{owner}_{parent}/{comment}"


def on_comment(family: Family, action: str, callback: VkCallback, source: emit.Source) -> Outcome:
    """`<family>_new`, `_edit`, `_restore` and `_delete`."""
    obj = callback.object or {}
    owner, parent = family.parent(obj, callback.group_id)
    if action == "delete":
        return _deleted(family, Deletion.model_validate(obj), owner, parent, callback, source)
    comment = Comment.model_validate(obj)
    key = object_key(family, owner, parent, comment.id)
    if comment.from_id < 0:
        if action == "new" and comment.from_id == -callback.group_id:
            return _answer(family, comment, owner, parent, key, source)
        return Ignored("comment by a community")
    written = emit.Written(
        kind=family.kind,
        object_key=key,
        author_id=str(comment.from_id),
        text=comment.text,
        written_at=comment.date,
        permalink=family.permalink(owner, parent, comment.id),
        thread=AppealThread(
            post_id=f"{family.prefix}{owner}_{parent}",
            post_permalink=family.post_permalink(owner, parent),
            reply_to_id=_replied(comment),
        ),
        attachments=attachments.summarise(comment.attachments),
    )
    if action == "new":
        return emit.received(source, written)
    # VK's comment has no edit time: the revision is when the edit or restore reached us.
    return emit.received(source, written, emit.Edit(source.received_at, callback.delivery_key))


def _replied(comment: Comment) -> str | None:
    replied = comment.reply_to_comment
    if replied is None and comment.parents_stack:
        replied = comment.parents_stack[-1]  # a reply inside a thread names its root here
    return None if replied is None else str(replied)


def _answer(
    family: Family, comment: Comment, owner: int, parent: int, key: str, source: emit.Source
) -> Outcome:
    replied = _replied(comment)
    if replied is None:
        return Ignored("comment by the page that answers no comment")
    answered_key = object_key(family, owner, parent, int(replied))
    return emit.answered(source, family.kind, answered_key, reply_key=key, at=comment.date)


def _deleted(
    family: Family,
    deletion: Deletion,
    owner: int,
    parent: int,
    callback: VkCallback,
    source: emit.Source,
) -> Emit:
    deleter = deletion.deleter_id if deletion.deleter_id is not None else deletion.user_id
    return emit.withdrawn(
        source,
        family.kind,
        object_key(family, owner, parent, deletion.id),
        deleted_by=None if deleter is None else str(deleter),
        at=source.received_at,
        delivery_key=callback.delivery_key,
    )
