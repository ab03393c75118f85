"""Request body limits: a callback or a single appeal is small, a batch of 1,000 is not."""

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from appeals_common.bodylimit import BodySizeLimit

BATCH_PATH = "/v1/appeals/batch"


class BodyLimits:
    """BodySizeLimit with INGEST_MAX_BATCH_BYTES for the batch endpoint, the usual one elsewhere."""

    def __init__(
        self, app: ASGIApp, max_bytes: Callable[[], int], batch_max_bytes: Callable[[], int]
    ) -> None:
        self._default = BodySizeLimit(app, max_bytes)
        self._batch = BodySizeLimit(app, batch_max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limited = self._batch if scope.get("path") == BATCH_PATH else self._default
        await limited(scope, receive, send)
