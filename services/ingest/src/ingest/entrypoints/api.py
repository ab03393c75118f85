"""The generic API: `POST /v1/appeals` for channels without a platform of their own."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from ingest import metrics
from ingest.domain import generic
from ingest.domain.batch import wrong_source
from ingest.entrypoints.api_auth import API_KEY_HEADERS, ApiSource
from ingest.entrypoints.deps import IngestDep
from ingest.entrypoints.edge import throttle
from ingest.handlers import accept_appeal

router = APIRouter(tags=["appeals"])


class AppealAccepted(BaseModel):
    appeal_id: uuid.UUID
    status: str = "accepted"


@router.post("/v1/appeals", status_code=status.HTTP_202_ACCEPTED, openapi_extra=API_KEY_HEADERS)
async def create_appeal(
    appeal_in: generic.AppealCreate, ingest: IngestDep, page: ApiSource
) -> AppealAccepted:
    """Accept one appeal for the key's own source; 202 means Kafka has it."""
    if appeal_in.page_id != page.id:
        metrics.CALLBACKS_REJECTED.labels(platform="api", reason="wrong_source").inc()
        raise HTTPException(status.HTTP_403_FORBIDDEN, wrong_source(appeal_in.page_id))
    throttle(ingest, "api", page.id)
    appeal = generic.to_appeal(
        appeal_in, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
    )
    await accept_appeal(appeal, ingest.publisher)
    return AppealAccepted(appeal_id=appeal.appeal_id)
