"""Request-scoped access to what the lifespan built."""

from typing import Annotated

from fastapi import Depends, Request

from ingest.bootstrap import Ingest


def _ingest(request: Request) -> Ingest:
    ingest: Ingest = request.app.state.service
    return ingest


IngestDep = Annotated[Ingest, Depends(_ingest)]
