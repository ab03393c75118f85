"""Serving a fake API for a test: uvicorn on a free port of 127.0.0.1, in the test's loop."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """The app's base URL (`http://127.0.0.1:<port>`) while the block runs."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # raises why it stopped
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@dataclass
class Faults:
    """Failures to answer instead of the real thing, in order, and the requests seen."""

    pending: list[tuple[int, str | None]] = field(default_factory=list)
    requests: int = 0

    def fail(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        self.pending += [(status, retry_after)] * times

    def next(self) -> Response | None:
        """Count a request; the failure it gets, if one is pending."""
        self.requests += 1
        if not self.pending:
            return None
        status, retry_after = self.pending.pop(0)
        headers = {"Retry-After": retry_after} if retry_after else None
        return JSONResponse({"error": "fake failure"}, status_code=status, headers=headers)
