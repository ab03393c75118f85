"""`POST /v1/classify`: lets an operator see how a text would be classified."""

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from appeals_common.events import Classification

router = APIRouter(tags=["classification"])


class ClassifyRequest(BaseModel):
    text: str = Field(max_length=50_000)


@router.post("/v1/classify")
async def classify_text(request_in: ClassifyRequest, request: Request) -> Classification:
    """Classify a text without publishing anything."""
    result: Classification = request.app.state.service.classifier.classify(request_in.text)
    return result
