"""What an operator may do with an appeal: move it, correct its topic, or be told why not."""

import uuid

import pytest

from router.domain.agencies import REGION, Agency, AgencyDirectory
from router.domain.reassignment import (
    Current,
    ReassignAppeal,
    ReassignmentConflict,
    UnknownAgency,
    decide_reassignment,
)

TRIAGE = Agency("cur", "ЦУР — сортировка", "regional_control_centre", REGION, ())
ROADS = Agency("city-roads", "Дороги города", "municipal_administration", "city", ("roads.*",))
DIRECTORY = AgencyDirectory(agencies=(TRIAGE, ROADS), territories={}, triage_agency_id="cur")
IN_TRIAGE = Current(
    agency_id="cur", topic="other", topic_name="Прочее", answered=False, withdrawn=False
)


def _command(agency_id: str, topic: str | None = None, name: str | None = None) -> ReassignAppeal:
    return ReassignAppeal(uuid.uuid4(), agency_id, topic=topic, topic_name=name)


def test_triage_moves_an_appeal_to_an_agency_with_a_corrected_topic() -> None:
    decision = decide_reassignment(
        DIRECTORY, IN_TRIAGE, _command("city-roads", "roads.repair", "Дороги")
    )
    assert (decision.agency, decision.topic, decision.topic_name) == (
        ROADS,
        "roads.repair",
        "Дороги",
    )


def test_moving_without_a_topic_keeps_the_topic_and_its_name() -> None:
    decision = decide_reassignment(DIRECTORY, IN_TRIAGE, _command("city-roads"))
    assert (decision.topic, decision.topic_name) == ("other", "Прочее")


def test_a_new_topic_without_a_name_shows_its_id_rather_than_the_old_name() -> None:
    decision = decide_reassignment(DIRECTORY, IN_TRIAGE, _command("city-roads", "roads.repair"))
    assert decision.topic_name == "roads.repair"


def test_the_topic_alone_can_be_corrected() -> None:
    decision = decide_reassignment(DIRECTORY, IN_TRIAGE, _command("cur", "roads.repair", "Дороги"))
    assert (decision.agency, decision.topic) == (TRIAGE, "roads.repair")


@pytest.mark.parametrize(
    ("current", "command", "error", "message"),
    [
        (IN_TRIAGE, _command("nowhere"), UnknownAgency, "no agency 'nowhere'"),
        (IN_TRIAGE, _command("cur"), ReassignmentConflict, "already with cur under other"),
        (
            Current("cur", "other", "Прочее", answered=True, withdrawn=False),
            _command("city-roads"),
            ReassignmentConflict,
            "already answered",
        ),
        (
            Current("cur", "other", "Прочее", answered=False, withdrawn=True),
            _command("city-roads"),
            ReassignmentConflict,
            "deleted on the platform",
        ),
    ],
)
def test_refusals_say_why(
    current: Current, command: ReassignAppeal, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        decide_reassignment(DIRECTORY, current, command)
