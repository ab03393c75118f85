"""Moving an appeal to another agency (and correcting its topic): what an operator may do."""

import uuid
from dataclasses import dataclass

from router.domain.agencies import Agency, AgencyDirectory


@dataclass(frozen=True)
class ReassignAppeal:
    """Command from an operator: this appeal belongs to `agency_id` (and to `topic`)."""

    appeal_id: uuid.UUID
    agency_id: str
    topic: str | None = None
    topic_name: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Current:
    """Where the appeal stands now."""

    agency_id: str
    topic: str
    topic_name: str
    answered: bool
    withdrawn: bool


@dataclass(frozen=True)
class Reassignment:
    agency: Agency
    topic: str
    topic_name: str


class UnknownAgency(ValueError):
    """The command names an agency that is not in the directory."""


class ReassignmentConflict(ValueError):
    """The appeal cannot be moved in its current state; the message says why."""


def decide_reassignment(
    directory: AgencyDirectory, current: Current, command: ReassignAppeal
) -> Reassignment:
    """Where the appeal goes, or why it cannot; an answered or deleted appeal stays put."""
    agency = directory.get(command.agency_id)
    if agency is None:
        raise UnknownAgency(f"no agency {command.agency_id!r} in the directory")
    if current.answered:
        raise ReassignmentConflict("the appeal is already answered")
    if current.withdrawn:
        raise ReassignmentConflict("the appeal was deleted on the platform")
    topic = command.topic or current.topic
    topic_name = command.topic_name or (current.topic_name if topic == current.topic else topic)
    if agency.id == current.agency_id and topic == current.topic:
        raise ReassignmentConflict(f"the appeal is already with {agency.id} under {topic}")
    return Reassignment(agency, topic, topic_name)
