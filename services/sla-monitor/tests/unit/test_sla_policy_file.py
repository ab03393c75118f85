"""The SLA policies' file: the shipped one loads; a broken one is refused with its line."""

from pathlib import Path

import pytest

from sla_monitor.adapters.policy_file import PolicyFileError, parse_policies, seconds
from sla_monitor.domain.policy import ClockMode, Facts, Recipient

ROOT = Path(__file__).resolve().parents[4]
POLICY = """version: 2
policies:
  - id: first
    name: Первая
    when: {urgent: true}
    first_response: 1h
    resolution: 24h
  - id: rest
    name: Остальные
    first_response: 4h
    resolution: 72h
"""


def test_the_shipped_policies_load_and_choose_by_urgency_and_body_kind() -> None:
    policies = parse_policies((ROOT / "config" / "sla-policies.yaml").read_text())

    urgent = policies.choose(Facts(True, "housing.heating", "school", ("24701000",)))
    school = policies.choose(Facts(False, "education.schools", "school", ("24701000",)))
    road = policies.choose(Facts(False, "roads.repair", "municipal_department", ("24701000",)))

    assert (urgent.id, urgent.first_response_seconds) == ("urgent", 3600)
    assert (school.id, school.mode) == ("institutions", ClockMode.WORKING_HOURS)
    assert road.id == "standard" and road.escalations[-1].to is Recipient.GOVERNOR_OFFICE


@pytest.mark.parametrize(("text", "wanted"), [("30m", 1800), ("4h", 14_400), ("2d", 172_800)])
def test_durations_read_as_seconds(text: str, wanted: int) -> None:
    assert seconds(text) == wanted


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("first_response: 1h", "first_response: 1 hour"), 3, "duration"),  # the policy's line
        (("when: {urgent: true}", "when: {topics: [nowhere]}"), 3, "not topics"),
        (("id: rest", "id: first"), 8, "second policy"),
        (("name: Остальные", "name: Остальные\n    when: {urgent: false}"), 8, "must hold"),
        (("resolution: 24h", "resolution: 30m"), 3, "shorter than first_response"),
        (("name: Первая", "name: Первая\n    colour: red"), 3, "colour"),
        (("policies:", "policies: ["), 3, "not YAML"),
    ],
)
def test_a_broken_policy_is_refused_with_its_line(
    change: tuple[str, str], line: int, message: str
) -> None:
    text = POLICY.replace(*change, 1)

    with pytest.raises(PolicyFileError, match=message) as refused:
        parse_policies(text)

    assert refused.value.line == line
