"""`wall_post_new`: a post suggested to the community by a resident is an appeal; the
community's own posts (and those it publishes from suggestions) are not."""

from appeals_common.events import AppealKind
from ingest.domain import emit
from ingest.domain.outcomes import Ignored, Outcome
from ingest.domain.vk import attachments
from ingest.domain.vk.envelope import VkCallback
from ingest.domain.vk.objects import Post


def on_wall_post(callback: VkCallback, source: emit.Source) -> Outcome:
    """A suggested post becomes an appeal of kind suggested_post."""
    post = Post.model_validate(callback.object or {})
    if post.post_type != "suggest":
        return Ignored(f"wall post of type {post.post_type[:20]}")
    if post.from_id < 0:
        return Ignored("post suggested by a community")
    return emit.received(
        source,
        emit.Written(
            kind=AppealKind.SUGGESTED_POST,
            object_key=f"wall{post.owner_id}_{post.id}",
            author_id=str(post.from_id),
            text=post.text,
            written_at=post.date,
            permalink=f"https://vk.com/wall{post.owner_id}_{post.id}",
            attachments=attachments.summarise(post.attachments),
            geo=attachments.geo(post.geo),
        ),
    )
