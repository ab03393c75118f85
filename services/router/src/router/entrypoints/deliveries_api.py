"""Deciding on an answer's failed delivery: send it again, or record that the resident got it
another way. Who may: agency staff of the appeal's agency and ЦУР operators (404 for an appeal
the caller does not see, 403 for a role that may not); a delivery that has not failed is 409.
"""

import uuid

from fastapi import APIRouter, HTTPException, status

from appeals_common.auth.http import PrincipalDep
from router.actions import ActionForbidden, ActionRefused, AppealNotFound, InvalidTarget
from router.delivery_actions import DeliveryDecision, decide
from router.entrypoints.deps import ActionsDep
from router.entrypoints.schemas import DeliveryMark, DeliveryRead

router = APIRouter(tags=["deliveries"])


async def _decide(
    appeal_id: uuid.UUID,
    delivery_id: uuid.UUID,
    decision: DeliveryDecision,
    principal: PrincipalDep,
    deps: ActionsDep,
    comment: str | None = None,
) -> DeliveryRead:
    try:
        row = await decide(appeal_id, delivery_id, decision, principal, deps, comment)
    except AppealNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no appeal {appeal_id}") from None
    except InvalidTarget as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
    except ActionForbidden as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from None
    except ActionRefused as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return DeliveryRead(**row)


@router.post("/v1/appeals/{appeal_id}/deliveries/{delivery_id}/retry")
async def retry_delivery(
    appeal_id: uuid.UUID, delivery_id: uuid.UUID, principal: PrincipalDep, deps: ActionsDep
) -> DeliveryRead:
    """Send a failed answer again, in a new round. For an unknown outcome (Telegram, MAX,
    OK), check on the platform first that the reply is not there: these have no duplicate
    guard."""
    return await _decide(appeal_id, delivery_id, DeliveryDecision.RETRY, principal, deps)


@router.post("/v1/appeals/{appeal_id}/deliveries/{delivery_id}/mark-delivered")
async def mark_delivered(
    appeal_id: uuid.UUID,
    delivery_id: uuid.UUID,
    body: DeliveryMark,
    principal: PrincipalDep,
    deps: ActionsDep,
) -> DeliveryRead:
    """Record that the resident got the answer another way (by phone, by hand on the page)."""
    decision = DeliveryDecision.MARK_DELIVERED
    return await _decide(appeal_id, delivery_id, decision, principal, deps, body.comment)
