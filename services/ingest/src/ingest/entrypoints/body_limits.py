"""Request body limits: a callback or a single appeal is small, a batch of 1,000 is not."""

from collections.abc import Callable

from fastapi import FastAPI

from appeals_common.bodylimit import BodyLimits
from ingest.settings import Settings

BATCH_PATH = "/v1/appeals/batch"


def limit_bodies(app: FastAPI, settings: Callable[[], Settings]) -> None:
    """INGEST_MAX_BATCH_BYTES for the batch endpoint, INGEST_MAX_BODY_BYTES elsewhere."""
    app.add_middleware(
        BodyLimits,
        max_bytes=lambda: settings().max_body_bytes,
        larger={BATCH_PATH: lambda: settings().max_batch_bytes},
    )
