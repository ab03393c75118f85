"""VK Callback API: what an event means for us.

Read: comments (`wall_reply_*`, `photo_comment_*`, `video_comment_*`, `market_comment_*`),
board posts (`board_post_*`), suggested posts (`wall_post_new`), private messages
(`message_new` in both the pre-5.103 and the 5.103+ shape, `message_edit`) and the page's own
replies (`*_new` by the community, `message_reply`). Other types are acknowledged and counted.
"""

from ingest.domain.outcomes import Emit, Ignored, Outcome
from ingest.domain.vk.dispatch import READ_TYPES, to_outcome, type_label
from ingest.domain.vk.envelope import VkCallback, VkPayloadError, parse_callback

__all__ = [
    "READ_TYPES",
    "Emit",
    "Ignored",
    "Outcome",
    "VkCallback",
    "VkPayloadError",
    "parse_callback",
    "to_outcome",
    "type_label",
]
