"""The appeal's lifecycle, case by case: what each command does in each state, and why not."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from appeals_common.auth import Principal, Role
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
from router.domain.lifecycle import (
    AppealState,
    Holder,
    Refusal,
    Status,
    Transition,
    effective_status,
    transition,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
ANNA = Principal(
    "anna", "anna", "Анна Смирнова", frozenset({Role.AGENCY_STAFF}), frozenset({"roads"})
)
BORIS = Principal(
    "boris", "boris", "Борис Орлов", frozenset({Role.AGENCY_STAFF}), frozenset({"roads"})
)
OLGA = Principal("olga", "olga", "Ольга ЦУР", frozenset({Role.CUR_OPERATOR}))
ROUTED = AppealState(Status.ROUTED, "roads", "roads.repair")
HELD_BY_ANNA = AppealState(
    Status.CLAIMED, "roads", "roads.repair", Holder("anna", "Анна Смирнова", NOW + IDLE)
)


def _apply(state: AppealState, command: Command) -> AppealState:
    outcome = transition(state, command, now=NOW, triage_agency_id="cur")
    assert isinstance(outcome, Transition), outcome
    return outcome.after


def _refused(state: AppealState, command: Command) -> str:
    outcome = transition(state, command, now=NOW, triage_agency_id="cur")
    assert isinstance(outcome, Refusal), outcome
    return outcome.reason


def test_a_claim_holds_the_appeal_for_the_idle_time() -> None:
    after = _apply(ROUTED, Claim(ANNA, IDLE))
    assert after.status is Status.CLAIMED
    assert after.holder == Holder("anna", "Анна Смирнова", NOW + IDLE)


def test_a_second_claim_by_somebody_else_is_refused_naming_the_holder() -> None:
    assert _refused(HELD_BY_ANNA, Claim(BORIS, IDLE)) == "the appeal is held by Анна Смирнова"


def test_the_holder_claiming_again_renews_the_claim() -> None:
    later = AppealState(
        Status.CLAIMED, "roads", "t", Holder("anna", "Анна", NOW + timedelta(minutes=1))
    )
    assert _apply(later, Claim(ANNA, IDLE)).holder == Holder("anna", "Анна Смирнова", NOW + IDLE)


def test_an_idle_claim_lapses_back_to_routed() -> None:
    kwargs = {"answered": False, "withdrawn": False, "now": NOW}
    assert (
        effective_status(Status.CLAIMED, holder_until=NOW - timedelta(seconds=1), **kwargs)
        is Status.ROUTED
    )
    assert (
        effective_status(Status.CLAIMED, holder_until=NOW + timedelta(seconds=1), **kwargs)
        is Status.CLAIMED
    )


@pytest.mark.parametrize(
    ("stored", "answered", "withdrawn", "expected"),
    [
        (Status.ROUTED, True, False, Status.ANSWERED),  # answered on the platform
        (Status.ROUTED, True, True, Status.ANSWERED),  # answered, then deleted: still answered
        (Status.CLAIMED, False, True, Status.WITHDRAWN),
        (Status.MERGED, True, False, Status.MERGED),  # the main appeal's answer answers it
        (Status.NOT_APPEAL, False, True, Status.NOT_APPEAL),
        (Status.RETURNED, False, False, Status.RETURNED),
    ],
)
def test_effective_status(
    stored: Status, answered: bool, withdrawn: bool, expected: Status
) -> None:
    status = effective_status(
        stored, answered=answered, withdrawn=withdrawn, holder_until=NOW + IDLE, now=NOW
    )
    assert status is expected


def test_the_holder_releases_and_others_cannot_unless_forced() -> None:
    assert _apply(HELD_BY_ANNA, Release(ANNA)).status is Status.ROUTED
    assert _refused(HELD_BY_ANNA, Release(BORIS)) == "the appeal is held by Анна Смирнова"
    assert _apply(HELD_BY_ANNA, Release(OLGA, force=True)).holder is None
    assert _refused(ROUTED, Release(ANNA)) == "the appeal is not held by anyone"


def test_an_answer_closes_the_appeal_and_a_second_is_refused() -> None:
    answered = _apply(HELD_BY_ANNA, Answer(ANNA, "Яму заделают"))
    assert (answered.status, answered.holder) == (Status.ANSWERED, None)
    assert _refused(answered, Answer(BORIS, "ещё")) == "the appeal is already answered"


def test_an_interim_answer_keeps_the_appeal_in_work_with_its_holder() -> None:
    interim = Answer(ANNA, "Приняли в работу, проверим до пятницы", interim=True)

    after = _apply(HELD_BY_ANNA, interim)

    assert after == HELD_BY_ANNA
    assert _apply(after, Answer(ANNA, "Яму заделали")).status is Status.ANSWERED
    assert _refused(HELD_BY_ANNA, Answer(BORIS, "ещё", interim=True)).startswith(
        "the appeal is held"
    )


def test_a_wait_for_the_resident_keeps_the_holder_and_ends_back_in_work() -> None:
    paused = _apply(HELD_BY_ANNA, Pause(ANNA, "ждём номер дома"))
    lapsed = replace(paused, holder=Holder("anna", "Анна Смирнова", NOW - IDLE))

    assert (paused.status, paused.holder) == (Status.PAUSED, HELD_BY_ANNA.holder)
    assert _apply(paused, Resume(ANNA)) == HELD_BY_ANNA
    assert _apply(lapsed, Resume(BORIS)) == ROUTED  # the claim lapsed while it waited
    assert _apply(_apply(ROUTED, Pause(BORIS, "ждём")), Claim(ANNA, IDLE)).status is Status.PAUSED
    assert _refused(paused, Pause(ANNA, "ещё")) == "the appeal already waits for the resident"
    assert _refused(ROUTED, Resume(ANNA)) == "the appeal is not waiting for the resident"
    assert _apply(paused, Answer(ANNA, "Готово")).status is Status.ANSWERED


def test_nobody_answers_an_appeal_somebody_else_holds() -> None:
    assert _refused(HELD_BY_ANNA, Answer(BORIS, "ответ")) == "the appeal is held by Анна Смирнова"
    assert _refused(HELD_BY_ANNA, Answer(OLGA, "ответ")) == "the appeal is held by Анна Смирнова"


def test_an_unclaimed_appeal_can_be_answered_directly() -> None:
    assert _apply(ROUTED, Answer(BORIS, "ответ")).status is Status.ANSWERED


def test_a_reassignment_moves_the_appeal_and_drops_the_claim() -> None:
    after = _apply(HELD_BY_ANNA, Reassign(OLGA, "zhkh", "housing.heating"))
    assert (after.status, after.agency_id, after.topic, after.holder) == (
        Status.ROUTED,
        "zhkh",
        "housing.heating",
        None,
    )


def test_a_reassignment_that_changes_nothing_is_refused() -> None:
    reason = _refused(ROUTED, Reassign(OLGA, "roads"))
    assert reason == "the appeal is already with roads under roads.repair"


def test_the_topic_alone_can_be_corrected() -> None:
    after = _apply(ROUTED, Reassign(OLGA, "roads", "roads.lighting"))
    assert (after.agency_id, after.topic) == ("roads", "roads.lighting")


def test_a_reassignment_to_the_triage_agency_is_a_return() -> None:
    assert _apply(ROUTED, Reassign(OLGA, "cur")).status is Status.RETURNED


def test_a_return_goes_to_the_triage_queue_once() -> None:
    returned = _apply(ROUTED, ReturnToTriage(ANNA, "не наше"))
    assert (returned.status, returned.agency_id) == (Status.RETURNED, "cur")
    assert (
        _refused(returned, ReturnToTriage(OLGA, "x")) == "the appeal is already in the triage queue"
    )


def test_a_returned_appeal_is_routed_on_by_an_operator() -> None:
    returned = AppealState(Status.RETURNED, "cur", "other")
    assert _apply(returned, Reassign(OLGA, "roads", "roads.repair")).status is Status.ROUTED


def test_not_an_appeal_and_merge_close_it() -> None:
    main = uuid.uuid4()
    assert _apply(ROUTED, MarkNotAppeal(OLGA)).status is Status.NOT_APPEAL
    merged = _apply(ROUTED, Merge(ANNA, main))
    assert (merged.status, merged.merged_into) == (Status.MERGED, main)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Status.ANSWERED, "the appeal is already answered"),
        (Status.MERGED, "the appeal was merged into another one"),
        (Status.NOT_APPEAL, "the appeal was marked as not an appeal"),
        (Status.WITHDRAWN, "the appeal was deleted on the platform"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        Claim(ANNA, IDLE),
        Release(ANNA),
        Answer(ANNA, "x"),
        Reassign(OLGA, "zhkh"),
        ReturnToTriage(ANNA, "x"),
        MarkNotAppeal(OLGA),
        Merge(ANNA, uuid.uuid4()),
    ],
    ids=lambda c: type(c).__name__,
)
def test_a_closed_appeal_refuses_every_change(
    status: Status, reason: str, command: Command
) -> None:
    assert _refused(AppealState(status, "roads", "t"), command) == reason


@pytest.mark.parametrize("status", list(Status))
def test_a_note_goes_on_an_appeal_in_any_state(status: Status) -> None:
    state = AppealState(status, "roads", "t")
    assert _apply(state, AddNote(BORIS, "позвонил заявителю")) == state
