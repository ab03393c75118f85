"""The generic API's batch: each item checked like a single appeal, on its own, so that one
bad item does not cost the others."""

from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from appeals_common.events import AppealReceived
from ingest.domain.generic import AppealCreate, to_appeal
from ingest.domain.outcomes import first_error
from ingest.domain.pages import Page

MAX_ITEMS = 1000


@dataclass(frozen=True)
class Rejected:
    index: int
    error: str


@dataclass(frozen=True)
class Checked:
    """The appeals to publish (with their index in the batch) and the items refused."""

    accepted: list[tuple[int, AppealReceived]]
    rejected: list[Rejected]


def check_items(items: list[object], source: Page, *, salt: str, received_at: datetime) -> Checked:
    """Validate and normalise every item of a batch from `source`."""
    accepted, rejected = [], []
    for index, item in enumerate(items):
        try:
            appeal_in = AppealCreate.model_validate(item)
        except ValidationError as exc:
            rejected.append(Rejected(index, first_error(exc)))
            continue
        if appeal_in.page_id != source.id:
            rejected.append(Rejected(index, wrong_source(appeal_in.page_id)))
            continue
        accepted.append((index, to_appeal(appeal_in, source, salt=salt, received_at=received_at)))
    return Checked(accepted, rejected)


def wrong_source(page_id: str) -> str:
    """Why an appeal for another source's page is refused (403, or a rejected batch item)."""
    return f"this API key is not for page {page_id!r}"
