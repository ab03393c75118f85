"""Changing an appeal: each endpoint builds a command and hands it to `actions.act`.

Every change but a note needs `If-Match` with the version the caller saw (428 without it,
412 with the current appeal when it moved on). Who may: see `domain.access`; an appeal the
caller does not see answers 404, one they see but may not change 403, a change the appeal's
state does not allow 409 with the reason.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Response, status

from appeals_common.auth.http import PrincipalDep
from router.actions import (
    ActionForbidden,
    ActionRefused,
    ActionResult,
    AppealNotFound,
    InvalidTarget,
    StaleVersion,
    VersionRequired,
    act,
)
from router.domain.commands import (
    AddNote,
    Answer,
    Claim,
    Command,
    MarkNotAppeal,
    Merge,
    Pause,
    Reassign,
    Release,
    Resume,
    ReturnToTriage,
)
from router.entrypoints.deps import ActionsDep
from router.entrypoints.schemas import (
    AnswerCreate,
    AnswerRead,
    AppealRead,
    MergeCreate,
    NotAppealCreate,
    NoteCreate,
    PauseCreate,
    ReassignmentCreate,
    ReleaseCreate,
    ReturnCreate,
)
from router.entrypoints.views import appeal_read, etag, parse_if_match

router = APIRouter(tags=["actions"])

IfMatch = Annotated[str | None, Header(max_length=64, description='the version, e.g. "3"')]
IdempotencyKey = Annotated[
    str | None, Header(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$")
]


class ActionOutcome(AppealRead):
    answer: AnswerRead | None = None


async def _run(
    appeal_id: uuid.UUID,
    command: Command,
    if_match: str | None,
    deps: ActionsDep,
    response: Response,
) -> ActionOutcome:
    try:
        result = await act(appeal_id, command, parse_if_match(if_match), deps)
    except AppealNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no appeal {appeal_id}") from None
    except ActionForbidden as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from None
    except VersionRequired as error:
        raise HTTPException(status.HTTP_428_PRECONDITION_REQUIRED, str(error)) from None
    except InvalidTarget as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    except (StaleVersion, ActionRefused) as error:
        # The caller sees where the appeal stands now, and its version to try again with.
        code = 412 if isinstance(error, StaleVersion) else status.HTTP_409_CONFLICT
        current = appeal_read(error.current, deps.directory, deps.clock())
        detail = {"message": str(error), "current": current.model_dump(mode="json")}
        raise HTTPException(code, detail, headers={"ETag": etag(current.version)}) from None
    response.headers["ETag"] = etag(result.appeal["version"])
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return _outcome(result, deps)


def _outcome(result: ActionResult, deps: ActionsDep) -> ActionOutcome:
    read = appeal_read(result.appeal, deps.directory, deps.clock())
    answer = AnswerRead(**result.answer) if result.answer is not None else None
    return ActionOutcome(**read.model_dump(), answer=answer)


Responses: dict[int | str, dict[str, Any]] = {
    403: {"description": "the caller's role may not do this"},
    404: {"description": "no such appeal, or not the caller's"},
    409: {"description": "the appeal's state does not allow it: why, and the current appeal"},
    412: {"description": "the appeal changed since that version; the current appeal"},
    428: {"description": "If-Match is missing"},
}


@router.post("/v1/appeals/{appeal_id}/claim", responses=Responses)
async def claim(
    appeal_id: uuid.UUID,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Take the appeal into work (agency staff, ЦУР operators); renews one's own claim."""
    return await _run(appeal_id, Claim(principal, deps.claim_idle), if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/release", responses=Responses)
async def release(
    appeal_id: uuid.UUID,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    release_in: ReleaseCreate | None = None,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Give the appeal back; `force` (ЦУР operators) frees one somebody else holds."""
    command = Release(principal, force=bool(release_in and release_in.force))
    return await _run(appeal_id, command, if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/answer", status_code=201, responses=Responses)
async def answer(
    appeal_id: uuid.UUID,
    answer_in: AnswerCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
    idempotency_key: IdempotencyKey = None,
) -> ActionOutcome:
    """Answer the resident; the first answer stops the SLA clock. A repeated Idempotency-Key
    returns the answer stored the first time (200) instead of storing another."""
    command = Answer(principal, answer_in.text, idempotency_key, answer_in.interim)
    return await _run(appeal_id, command, if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/reassign", responses=Responses)
async def reassign(
    appeal_id: uuid.UUID,
    reassignment_in: ReassignmentCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Move the appeal to another agency and/or correct its topic (ЦУР operators)."""
    command = Reassign(principal, **reassignment_in.model_dump())
    return await _run(appeal_id, command, if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/return", responses=Responses)
async def return_to_triage(
    appeal_id: uuid.UUID,
    return_in: ReturnCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Send the appeal back to the ЦУР triage queue, saying why it is not this agency's."""
    command = ReturnToTriage(principal, return_in.comment)
    return await _run(appeal_id, command, if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/pause", responses=Responses)
async def pause(
    appeal_id: uuid.UUID,
    pause_in: PauseCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Wait for the resident («ждём уточнения от заявителя»): the SLA clock stops until the
    wait ends (resume, or the resident writes to the page again)."""
    return await _run(appeal_id, Pause(principal, pause_in.reason), if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/resume", responses=Responses)
async def resume(
    appeal_id: uuid.UUID,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """End the wait for the resident: the SLA clock runs on."""
    return await _run(appeal_id, Resume(principal), if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/not-appeal", responses=Responses)
async def not_appeal(
    appeal_id: uuid.UUID,
    not_appeal_in: NotAppealCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Close it as not an appeal (ЦУР operators); the classifier learns from it."""
    command = MarkNotAppeal(principal, not_appeal_in.comment)
    return await _run(appeal_id, command, if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/merge", responses=Responses)
async def merge(
    appeal_id: uuid.UUID,
    merge_in: MergeCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ActionOutcome:
    """Merge this duplicate into the main appeal, whose answer will answer it too."""
    command = Merge(principal, merge_in.into)
    return await _run(appeal_id, command, if_match, deps, response)


@router.post("/v1/appeals/{appeal_id}/notes", status_code=201, responses=Responses)
async def add_note(
    appeal_id: uuid.UUID,
    note_in: NoteCreate,
    principal: PrincipalDep,
    deps: ActionsDep,
    response: Response,
) -> ActionOutcome:
    """An internal note for colleagues (never shown to the resident); needs no version."""
    return await _run(appeal_id, AddNote(principal, note_in.text), None, deps, response)
