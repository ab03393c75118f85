"""Request-scoped access to what the lifespan built."""

from typing import Annotated

from fastapi import Depends, Request

from ingest.bootstrap import Ingest


async def _ingest(request: Request) -> Ingest:
    # async: a plain function would be run in the thread pool, a thread hop per request
    ingest: Ingest = request.app.state.service
    return ingest


IngestDep = Annotated[Ingest, Depends(_ingest)]
