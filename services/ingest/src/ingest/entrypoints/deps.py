"""Request-scoped access to what the lifespan built."""

from typing import Annotated

from fastapi import Depends, Request

from ingest.bootstrap import Ingest


def ingest_of(request: Request) -> Ingest:
    """What the lifespan built, for code that reads the request itself."""
    ingest: Ingest = request.app.state.service
    return ingest


async def _ingest(request: Request) -> Ingest:
    # async: a plain function would be run in the thread pool, a thread hop per request
    return ingest_of(request)


IngestDep = Annotated[Ingest, Depends(_ingest)]
