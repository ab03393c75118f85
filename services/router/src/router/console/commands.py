"""Operators' forms into the same commands the JSON API builds, validated by its schemas."""

import re
from collections.abc import Callable, Mapping

from appeals_common.auth import Principal
from router.actions import ActionDeps
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
from router.entrypoints.schemas import (
    AnswerCreate,
    MergeCreate,
    NotAppealCreate,
    NoteCreate,
    PauseCreate,
    ReassignmentCreate,
    ReturnCreate,
)
from router.entrypoints.views import version_number

Form = Mapping[str, str]
Builder = Callable[[Principal, Form, ActionDeps], Command]
_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")


def _or_none(form: Form, name: str) -> str | None:
    return form.get(name, "").strip() or None


def _answer(p: Principal, form: Form, _: ActionDeps) -> Command:
    key = form.get("idempotency_key", "")
    body = AnswerCreate(text=form.get("text", ""), interim=form.get("interim") == "1")
    return Answer(p, body.text, key if _KEY.fullmatch(key) else None, body.interim)


def _reassign(p: Principal, form: Form, _: ActionDeps) -> Command:
    body = ReassignmentCreate(
        agency_id=form.get("agency_id", ""),
        topic=_or_none(form, "topic"),
        topic_name=_or_none(form, "topic_name"),
        comment=_or_none(form, "comment"),
    )
    return Reassign(p, **body.model_dump())


BUILDERS: dict[str, Builder] = {
    "claim": lambda p, _, deps: Claim(p, deps.claim_idle),
    "release": lambda p, form, _: Release(p, force=form.get("force") == "1"),
    "answer": _answer,
    "reassign": _reassign,
    "return": lambda p, form, _: ReturnToTriage(
        p, ReturnCreate(comment=form.get("comment", "")).comment
    ),
    "not-appeal": lambda p, form, _: MarkNotAppeal(
        p, NotAppealCreate(comment=_or_none(form, "comment")).comment
    ),
    "merge": lambda p, form, _: Merge(
        p, MergeCreate.model_validate({"into": form.get("into")}).into
    ),
    "note": lambda p, form, _: AddNote(p, NoteCreate(text=form.get("text", "")).text),
    "pause": lambda p, form, _: Pause(p, PauseCreate(reason=form.get("reason", "")).reason),
    "resume": lambda p, _, __: Resume(p),
}


def version_of(form: Form) -> int | None:
    """The version the form was rendered with; None when absent, -1 when not a number."""
    raw = form.get("version", "").strip()
    if not raw:
        return None
    return version_number(raw)
