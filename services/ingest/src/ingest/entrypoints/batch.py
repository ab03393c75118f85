"""`POST /v1/appeals/batch`: up to 1,000 appeals of one source in one request."""

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ingest import metrics
from ingest.domain import batch
from ingest.entrypoints.api_auth import API_KEY_HEADERS, ApiSource
from ingest.entrypoints.deps import IngestDep
from ingest.entrypoints.edge import throttle
from ingest.handlers import accept_appeals

router = APIRouter(tags=["appeals"])


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Any] = Field(
        min_length=1, description=f"up to {batch.MAX_ITEMS} appeals as for POST /v1/appeals"
    )

    @field_validator("items", mode="before")
    @classmethod
    def _at_most_max_items(cls, value: object) -> object:
        if isinstance(value, list) and len(value) > batch.MAX_ITEMS:
            raise ValueError(f"a batch holds at most {batch.MAX_ITEMS} items, not {len(value)}")
        return value


class ItemResult(BaseModel):
    index: int = Field(description="the item's position in `items`, from 0")
    status: Literal["accepted", "rejected"]
    appeal_id: uuid.UUID | None = None
    error: str | None = None


class BatchAccepted(BaseModel):
    accepted: int
    rejected: int
    items: list[ItemResult]


@router.post(
    "/v1/appeals/batch", status_code=status.HTTP_202_ACCEPTED, openapi_extra=API_KEY_HEADERS
)
async def create_appeals(
    batch_in: BatchCreate, ingest: IngestDep, source: ApiSource
) -> BatchAccepted:
    """202 once Kafka has every accepted item; rejected items say why; 503 if Kafka does not
    acknowledge them all (retry the whole batch: the ids make repeats harmless)."""
    throttle(ingest, "api", source.id)
    checked = batch.check_items(
        batch_in.items,
        source,
        salt=ingest.settings.author_key_salt,
        received_at=datetime.now(UTC),
    )
    await accept_appeals([appeal for _, appeal in checked.accepted], ingest.publisher)
    if checked.rejected:
        metrics.CALLBACKS_REJECTED.labels(platform="api", reason="invalid_item").inc(
            len(checked.rejected)
        )
    results = [
        ItemResult(index=i, status="accepted", appeal_id=a.appeal_id) for i, a in checked.accepted
    ]
    results += [
        ItemResult(index=r.index, status="rejected", error=r.error) for r in checked.rejected
    ]
    return BatchAccepted(
        accepted=len(checked.accepted),
        rejected=len(checked.rejected),
        items=sorted(results, key=lambda r: r.index),
    )
