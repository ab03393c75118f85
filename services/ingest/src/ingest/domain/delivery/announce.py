"""The events a delivery's outcome is announced with, with deterministic ids: a round is
announced delivered once, failed once, however often the worker records it."""

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from appeals_common.events import (
    AnswerDelivered,
    AnswerFailed,
    DeliveryFailure,
    Envelope,
    EventPayload,
    Platform,
    new_envelope,
)


def delivered(row: Mapping[str, Any], at: datetime) -> Envelope[Any]:
    payload = AnswerDelivered(
        delivery_id=row["delivery_id"],
        appeal_id=row["appeal_id"],
        response_id=row["response_id"],
        platform=Platform(row["platform"]),
        round=row["round"],
        reply_id=row["reply_id"],
        reply_url=row["reply_url"],
        parts=row["parts_total"] or 1,
        delivered_at=at,
    )
    return _wrap(payload, row, f"delivered:{row['round']}")


def failed(
    row: Mapping[str, Any], reason: DeliveryFailure, detail: str, at: datetime
) -> Envelope[Any]:
    payload = AnswerFailed(
        delivery_id=row["delivery_id"],
        appeal_id=row["appeal_id"],
        response_id=row["response_id"],
        platform=Platform(row["platform"]),
        round=row["round"],
        reason=reason,
        detail=detail[:500],
        failed_at=at,
    )
    return _wrap(payload, row, f"failed:{row['round']}")


def _wrap(payload: EventPayload, row: Mapping[str, Any], name: str) -> Envelope[Any]:
    return new_envelope(
        payload,
        source="ingest-delivery",
        correlation_id=str(row["appeal_id"]),
        event_id=uuid.uuid5(row["delivery_id"], name),
    )
