"""The generic API: `POST /v1/appeals` for channels without a platform of their own."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from appeals_common.events import Platform
from ingest import metrics
from ingest.domain import generic
from ingest.entrypoints.deps import IngestDep
from ingest.handlers import accept_appeal

router = APIRouter(tags=["appeals"])


class AppealAccepted(BaseModel):
    appeal_id: uuid.UUID
    status: str = "accepted"


@router.post("/v1/appeals", status_code=status.HTTP_202_ACCEPTED)
async def create_appeal(appeal_in: generic.AppealCreate, ingest: IngestDep) -> AppealAccepted:
    """Accept one appeal; 202 means Kafka has it."""
    page = ingest.pages.get(appeal_in.page_id)
    if page is None or page.platform != Platform.API:
        metrics.CALLBACKS_REJECTED.labels(platform="api", reason="unknown_page").inc()
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"page {appeal_in.page_id!r} is not registered"
        )
    appeal = generic.to_appeal(
        appeal_in, page, salt=ingest.settings.author_key_salt, received_at=datetime.now(UTC)
    )
    await accept_appeal(appeal, ingest.publisher)
    return AppealAccepted(appeal_id=appeal.appeal_id)
