"""Which VK event types we read, and what each means; every other type is only acknowledged."""

from datetime import datetime

from pydantic import ValidationError

from appeals_common.events import Platform
from ingest.domain import emit
from ingest.domain.outcomes import Ignored, Outcome, first_error
from ingest.domain.pages import Page
from ingest.domain.vk.comments import FAMILIES, on_comment
from ingest.domain.vk.envelope import VkCallback, VkPayloadError
from ingest.domain.vk.messages import on_message
from ingest.domain.vk.posts import on_wall_post

_COMMENT_ACTIONS = ("new", "edit", "restore", "delete")
READ_TYPES = frozenset(
    [f"{family}_{action}" for family in FAMILIES for action in _COMMENT_ACTIONS]
    + ["wall_post_new", "message_new", "message_edit", "message_reply"]
)
# Acknowledged without processing; named so that metrics count them by type without letting
# a sender invent label values.
OTHER_TYPES = frozenset(
    (
        "confirmation",
        "wall_repost",
        "wall_schedule_post_new",
        "wall_schedule_post_delete",
        "message_allow",
        "message_deny",
        "message_typing_state",
        "message_event",
        "message_reaction_event",
        "message_read",
        "photo_new",
        "audio_new",
        "video_new",
        "like_add",
        "like_remove",
        "group_join",
        "group_leave",
        "user_block",
        "user_unblock",
        "poll_vote_new",
        "group_officers_edit",
        "group_change_settings",
        "group_change_photo",
        "vkpay_transaction",
        "app_payload",
        "donut_subscription_create",
        "donut_subscription_prolonged",
        "donut_subscription_expired",
        "donut_subscription_cancelled",
        "donut_subscription_price_changed",
        "donut_money_withdraw",
        "donut_money_withdraw_error",
        "lead_forms_new",
        "market_order_new",
        "market_order_edit",
    )
)


def type_label(event_type: str) -> str:
    """The event type as a metrics label: a VK type we know of, or `other`."""
    return event_type if event_type in READ_TYPES | OTHER_TYPES else "other"


def to_outcome(callback: VkCallback, page: Page, *, salt: str, received_at: datetime) -> Outcome:
    """What a VK event means: an event to publish, or why it is only acknowledged."""
    if callback.type not in READ_TYPES:
        return Ignored(f"type {callback.type} is not processed")
    source = emit.Source(page, Platform.VK, salt, received_at)
    family, _, action = callback.type.rpartition("_")
    try:
        if family == "message":
            return on_message(action, callback, source)
        if family == "wall_post":
            return on_wall_post(callback, source)
        return on_comment(FAMILIES[family], action, callback, source)
    except ValidationError as exc:
        raise VkPayloadError(f"{callback.type}: {first_error(exc)}") from exc
    except ValueError as exc:
        raise VkPayloadError(f"{callback.type}: {exc}") from exc
