"""The directory and the routing rules, changed without a redeploy (`config_admin`).

Who may call: administrators only (the `admin` role); everyone else gets 403. Reads show
every version with who stored it, when, why and which ids it changed. A change needs
`If-Match` with the version the administrator saw (428 without it, 412 when another change
got there first); a document that does not check is 422 with the line that is wrong, and
nothing is stored.
"""

from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Response, status

from appeals_common.auth import Principal, Role
from appeals_common.auth.http import PrincipalDep
from router.adapters import config_store, directory_document
from router.adapters.directory_csv import read_bodies
from router.adapters.directory_document import yaml_bodies
from router.adapters.directory_file import BodyRecord
from router.config_admin import (
    Build,
    ConfigAdmin,
    DirectoryChange,
    Refused,
    Stale,
    replace_with,
    upsert_with,
)
from router.entrypoints.admin_schemas import (
    BodyChanges,
    DirectoryChangeRead,
    DirectoryImport,
    DryRunRead,
    PublishedRead,
    RerouteRead,
    RulesDocument,
    RulesPublish,
    VersionDocument,
    VersionRead,
)
from router.entrypoints.deps import DepsDep
from router.entrypoints.views import etag, parse_if_match

router = APIRouter(prefix="/v1/admin", tags=["admin"])
T = TypeVar("T")

IfMatch = Annotated[str | None, Header(max_length=64, description='the version, e.g. "3"')]
BodyIdPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
VersionPath = Annotated[int, Path(ge=1, le=2_000_000_000)]
_CHANGE_ERRORS: dict[int | str, dict[str, Any]] = {
    412: {"description": "another change was stored since that version"},
    422: {"description": "the document does not check: the message names the line"},
    428: {"description": "If-Match is missing"},
}


async def _admin(principal: PrincipalDep, deps: DepsDep) -> ConfigAdmin:
    if not principal.has(Role.ADMIN):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only administrators change the directory")
    return ConfigAdmin(deps.sessions, deps.setup, deps.min_confidence)


AdminDep = Annotated[ConfigAdmin, Depends(_admin)]


def _version_routes(kind: config_store.Kind) -> None:
    """The history of the directory's or the rules' versions, and one version."""

    @router.get(f"/{kind}/versions", name=f"list_{kind}_versions")
    async def list_versions(
        admin: AdminDep,
        changed: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> list[VersionRead]:
        """The versions, newest first, with who stored each, when, why and which ids it
        changed; `changed` keeps those that changed that body (or rule) id."""
        async with admin.sessions() as session:
            stored = await config_store.history(session, kind, limit=limit, touching=changed)
        return [_version(v) for v in stored]

    @router.get(f"/{kind}/versions/{{version}}", name=f"get_{kind}_version")
    async def get_version(version: VersionPath, admin: AdminDep) -> VersionDocument:
        """One version, with its whole document in the YAML import format."""
        async with admin.sessions() as session:
            stored = await config_store.get(session, kind, version)
        if stored is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {kind} version {version}")
        return VersionDocument(**_version(stored).model_dump(), document=stored.document)


_version_routes("directory")
_version_routes("rules")


@router.get("/directory/bodies/{body_id}")
async def get_body(body_id: BodyIdPath, admin: AdminDep, response: Response) -> BodyRecord:
    """One body as the current version stores it; its version as ETag, for a PUT."""
    async with admin.sessions() as session:
        current = await config_store.latest(session, "directory")
    assert current is not None, "seeded at start"
    data = directory_document.load(current.document)
    found = next((b for b in data.get("bodies") or [] if b.get("id") == body_id), None)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no body {body_id}")
    response.headers["ETag"] = etag(current.version)
    return BodyRecord.model_validate(found)


@router.put("/directory/bodies/{body_id}", responses=_CHANGE_ERRORS)
async def put_body(
    body_id: BodyIdPath,
    record: BodyRecord,
    principal: PrincipalDep,
    admin: AdminDep,
    response: Response,
    if_match: IfMatch = None,
) -> DirectoryChangeRead:
    """Add a body or replace the one of that id, as a new directory version."""
    if record.id != body_id:
        raise HTTPException(422, f"the body's id {record.id!r} is not the path's {body_id!r}")
    item = record.model_dump(mode="json", exclude_defaults=True)
    build = upsert_with(lambda: [(item, None)], source=f"body {body_id}")
    change = await _change(admin, build, principal, f"body {body_id}", if_match, "", False)
    response.headers["ETag"] = etag(change.version or change.based_on)
    return change_read(change)


@router.post("/directory/import", responses=_CHANGE_ERRORS)
async def import_directory(
    request: DirectoryImport,
    principal: PrincipalDep,
    admin: AdminDep,
    response: Response,
    if_match: IfMatch = None,
) -> DirectoryChangeRead:
    """Check a YAML or CSV import and report what it changes; with `dry_run: false`, store it
    as a new version (then If-Match is required)."""
    source = f"{request.format} import"
    build: Build
    if request.mode == "replace":
        if request.format == "csv":
            raise HTTPException(422, "a CSV carries bodies only: import it with mode upsert")
        build = replace_with(request.document, source)
    elif request.format == "csv":
        build = upsert_with(lambda: read_bodies(request.document, source), source)
    else:
        build = upsert_with(lambda: yaml_bodies(request.document, source), source)
    change = await _change(
        admin, build, principal, source, if_match, request.comment, request.dry_run
    )
    response.headers["ETag"] = etag(change.version or change.based_on)
    return change_read(change)


@router.post("/rules/dry-run", responses={422: _CHANGE_ERRORS[422]})
async def dry_run_rules(request: RulesDocument, admin: AdminDep) -> DryRunRead:
    """What a rule set would do to the latest routed appeals, compared with the rules in use."""
    trial = await _refusals(admin.try_rules(request.document, limit=request.limit))
    result = trial.result
    moved = [
        RerouteRead(appeal_id=appeal_id, **vars(outcome))
        for appeal_id, outcome in zip(trial.appeal_ids, result.outcomes, strict=True)
        if outcome.now != outcome.proposed
    ]
    return DryRunRead(
        based_on=trial.based_on,
        digest=trial.digest,
        appeals=len(result.outcomes),
        changed=result.changed,
        to_triage=result.to_triage,
        from_triage=result.from_triage,
        by_rule=dict(result.by_rule),
        examples=moved[:50],
    )


@router.post("/rules", status_code=201, responses=_CHANGE_ERRORS)
async def publish_rules(
    request: RulesPublish,
    principal: PrincipalDep,
    admin: AdminDep,
    response: Response,
    if_match: IfMatch = None,
) -> PublishedRead:
    """Publish a rule set after its dry run: routing uses it from the next appeal on."""
    expected = _expected(if_match)
    published = await _refusals(
        admin.publish_rules(
            request.document, seen=request.dry_run_digest, expected=expected,
            actor=_actor(principal), comment=request.comment,
        )
    )  # fmt: skip
    response.headers["ETag"] = etag(published)
    return PublishedRead(version=published)


async def _change(
    admin: ConfigAdmin,
    build: Build,
    principal: Principal,
    source: str,
    if_match: str | None,
    comment: str,
    dry_run: bool,
) -> DirectoryChange:
    expected = None if dry_run else _expected(if_match)
    return await _refusals(
        admin.change_directory(
            build, source=source, expected=expected, actor=_actor(principal), comment=comment,
            dry_run=dry_run,
        )
    )  # fmt: skip


async def _refusals(work: Awaitable[T]) -> T:
    """The application's refusals as HTTP answers."""
    try:
        result: T = await work
    except Refused as refused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(refused)) from None
    except Stale as stale:
        raise HTTPException(
            status.HTTP_412_PRECONDITION_FAILED,
            f"changed since: the current version is {stale.current}",
            headers={"ETag": etag(stale.current)},
        ) from None
    return result


def _expected(if_match: str | None) -> int:
    version = parse_if_match(if_match)
    if version is None:
        raise HTTPException(
            status.HTTP_428_PRECONDITION_REQUIRED, "send the version you saw in If-Match"
        )
    return version


def change_read(change: DirectoryChange) -> DirectoryChangeRead:
    diff = change.changes
    return DirectoryChangeRead(
        based_on=change.based_on,
        version=change.version,
        bodies=change.bodies,
        changes=BodyChanges(
            added=list(diff.added), changed=list(diff.changed), removed=list(diff.removed)
        ),
    )


def _version(stored: config_store.StoredVersion) -> VersionRead:
    return VersionRead(
        version=stored.version,
        created_at=stored.created_at,
        actor=stored.actor,
        comment=stored.comment,
        changed=stored.changed_ids,
    )


def _actor(principal: Principal) -> str:
    return f"{principal.display_name} ({principal.subject})"
