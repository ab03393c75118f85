"""An ASGI middleware that refuses request bodies over a size limit with 413.

The body is read up to the limit before the app sees the request, so the app never holds a
half-read oversized body and the refusal cannot be turned into another status on the way.
"""

from collections.abc import Callable, Mapping

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    """Checks Content-Length up front and counts streamed bytes for chunked bodies."""

    def __init__(self, app: ASGIApp, max_bytes: Callable[[], int]) -> None:
        self.app = app
        self._max_bytes = max_bytes  # a callable: settings are only known once the lifespan ran

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._max_bytes()
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(limit, scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            if len(body) > limit:
                await self._refuse(limit, scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)

    @staticmethod
    async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse({"detail": f"request body is larger than {limit} bytes"}, 413)
        await response(scope, receive, send)


class BodyLimits:
    """BodySizeLimit with larger limits for some paths (a batch, a whole directory), by prefix."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: Callable[[], int],
        larger: Mapping[str, Callable[[], int]],
    ) -> None:
        self._default = BodySizeLimit(app, max_bytes)
        self._larger = {prefix: BodySizeLimit(app, limit) for prefix, limit in larger.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        limited = next(
            (lim for prefix, lim in self._larger.items() if path.startswith(prefix)), self._default
        )
        await limited(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect as usual

    return replay
