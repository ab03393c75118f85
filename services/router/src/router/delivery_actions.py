"""Operators' decisions on an answer's failed delivery: try again (a new round, which also
resends an answer whose outcome was unknown: the operator checked it is not there), or record
that the resident got the answer another way. Each is audited on the appeal."""

import json
import uuid
from enum import StrEnum

from appeals_common.auth import Principal
from router.actions import ActionDeps, ActionForbidden, ActionRefused, AppealNotFound, InvalidTarget
from router.domain.access import Action, can_see, may
from router.domain.deliveries import Delivery, DeliveryRefused, DeliveryState, mark_manual, retry
from router.outcomes import delivery_requested
from router.ports import Row


class DeliveryDecision(StrEnum):
    RETRY = "retry"
    MARK_DELIVERED = "mark_delivered"


async def decide(
    appeal_id: uuid.UUID,
    delivery_id: uuid.UUID,
    decision: DeliveryDecision,
    actor: Principal,
    deps: ActionDeps,
    comment: str | None = None,
) -> Row:
    """Apply the decision to the delivery; the delivery as it is now."""
    now = deps.clock()
    async with deps.unit_of_work() as uow:
        appeal = await uow.appeals.get(appeal_id)
        if appeal is None or not can_see(actor, appeal["agency_id"], deps.directory):
            raise AppealNotFound(f"no appeal {appeal_id}")
        if not may(actor, Action.DELIVERY):
            raise ActionForbidden("your role may not decide on deliveries")
        row = await uow.appeals.get_delivery(delivery_id, lock=True)
        if row is None or row["appeal_id"] != appeal_id:
            raise InvalidTarget(f"no delivery {delivery_id} of this appeal")
        current = Delivery(DeliveryState(row["state"]), row["round"])
        try:
            after = retry(current) if decision is DeliveryDecision.RETRY else mark_manual(current)
        except DeliveryRefused as refused:
            raise ActionRefused(str(refused), appeal) from None
        changed = await uow.appeals.update_delivery(
            delivery_id,
            {
                "state": after.state.value,
                "round": after.round,
                "updated_at": now,
                "decided_by": actor.display_name,
            },
        )
        if decision is DeliveryDecision.RETRY:
            answer = await uow.appeals.get_answer(row["response_id"])
            if answer is None or not answer["text"]:
                raise ActionRefused("у ответа нет текста для отправки", appeal)
            topic, event = delivery_requested(appeal, changed, answer["text"], now)
            await uow.publish(topic, event, key=str(appeal_id))
        await uow.appeals.add_audit(
            {
                "appeal_id": appeal_id,
                "at": now,
                "actor_sub": actor.subject,
                "actor_name": actor.display_name,
                "action": f"delivery_{decision.value}",
                "from_status": appeal["status"],
                "to_status": appeal["status"],
                "from_agency": appeal["agency_id"],
                "to_agency": appeal["agency_id"],
                "version": appeal["version"],
                "detail": json.dumps(
                    {"delivery_id": str(delivery_id), "round": after.round, "comment": comment},
                    ensure_ascii=False,
                ),
            }
        )
    deps.published()
    return changed
