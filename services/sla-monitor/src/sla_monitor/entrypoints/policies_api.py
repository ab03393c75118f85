"""The SLA policies as data: every version readable, a new one stored through the API.

Who may call: ЦУР operators, the governor's office and administrators read the policies;
only administrators store a new version (`If-Match` with the version they saw: 428 without
it, 412 when another was stored since). A document that does not check is 422 with the line
that is wrong, and nothing is stored. While SLA_POLICIES_SOURCE=file the file is the truth,
and a change through the API is 409.
"""

from datetime import datetime
from typing import Annotated

from fastapi import (
    APIRouter,
    Depends,
    Header,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    status,
)
from pydantic import BaseModel, ConfigDict, Field

from appeals_common.auth import Principal, Role
from appeals_common.auth.http import PrincipalDep
from appeals_common.text import StorableText
from sla_monitor.adapters import versions
from sla_monitor.adapters.orm import policy_versions
from sla_monitor.adapters.policy_file import PolicyFileError, parse_policies
from sla_monitor.handlers import SlaDeps
from sla_monitor.setup import refresh

router = APIRouter(prefix="/v1/sla/policies", tags=["policies"])


class PolicyVersionRead(BaseModel):
    version: int
    created_at: datetime
    actor: str
    comment: str
    in_use: bool = Field(description="the version this replica's clocks are given now")


class PolicyDocument(PolicyVersionRead):
    document: str = Field(description="the policies in config/sla-policies.yaml's format")


class PolicyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: StorableText = Field(min_length=1, max_length=16_000)  # SLA_MAX_BODY_BYTES
    comment: StorableText = Field(default="", max_length=500)


class PolicyStored(BaseModel):
    version: int


def _deps(request: Request) -> SlaDeps:
    deps: SlaDeps = request.app.state.service.deps
    return deps


def _reader(principal: Principal) -> None:
    if not principal.roles & {Role.ADMIN, Role.CUR_OPERATOR, Role.GOVERNOR_OFFICE}:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "your role does not read SLA policies")


@router.get("/versions")
async def list_versions(
    request: Request,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[PolicyVersionRead]:
    """The policy versions, newest first: who stored each, when and why."""
    _reader(principal)
    deps = _deps(request)
    async with deps.sessions() as session:
        stored = await versions.history(session, policy_versions, limit)
    return [_read(v, deps) for v in stored]


@router.get("/versions/{version}")
async def get_version(
    version: Annotated[int, Path(ge=1, le=2_000_000_000)],
    request: Request,
    principal: PrincipalDep,
) -> PolicyDocument:
    """One version, with its whole document."""
    _reader(principal)
    deps = _deps(request)
    async with deps.sessions() as session:
        stored = await versions.get(session, policy_versions, version)
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no policy version {version}")
    return PolicyDocument(**_read(stored, deps).model_dump(), document=stored.document)


async def _admin(principal: PrincipalDep) -> Principal:
    """Refused before the body is read: whoever may not store a version learns nothing more."""
    if not principal.has(Role.ADMIN):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only administrators change SLA policies")
    return principal


@router.post("", status_code=201)
async def store_version(
    body: PolicyCreate,
    request: Request,
    principal: Annotated[Principal, Depends(_admin)],
    response: Response,
    if_match: Annotated[str | None, Header(max_length=64)] = None,
) -> PolicyStored:
    """Store a new policy version; new clocks get it from now on (open ones keep theirs)."""
    deps = _deps(request)
    if deps.setup.pinned:
        raise HTTPException(status.HTTP_409_CONFLICT, "the policies come from SLA_POLICIES_FILE")
    seen = _version(if_match)
    try:
        parse_policies(body.document, "policies")
    except PolicyFileError as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(refused)) from None
    actor = f"{principal.display_name} ({principal.subject})"
    async with deps.sessions() as session, session.begin():
        current = await versions.latest_number(session, policy_versions)
        stored = current == seen and await versions.add(
            session, policy_versions, current + 1, actor=actor, comment=body.comment,
            document=body.document,
        )  # fmt: skip
    if not stored:
        raise HTTPException(status.HTTP_412_PRECONDITION_FAILED, "another version was stored")
    await refresh(deps.setup, deps.sessions)
    response.headers["ETag"] = f'"{current + 1}"'
    return PolicyStored(version=current + 1)


def _version(if_match: str | None) -> int:
    if if_match is None:
        raise HTTPException(
            status.HTTP_428_PRECONDITION_REQUIRED, "send the version you saw in If-Match"
        )
    text = if_match.strip().removeprefix("W/").strip('"')
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


def _read(stored: versions.Stored, deps: SlaDeps) -> PolicyVersionRead:
    return PolicyVersionRead(
        version=stored.version, created_at=stored.created_at, actor=stored.actor,
        comment=stored.comment, in_use=stored.version == deps.setup.policies.version,
    )  # fmt: skip
