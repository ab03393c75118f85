"""Who may see and do what: the one place the router's permissions are decided.

An appeal the caller may not see does not exist for them (the API answers 404, so ids
cannot be probed); an appeal they see but may not change answers 403.
"""

from enum import StrEnum

from appeals_common.auth import Principal, Role
from router.domain.directory import Directory


class Action(StrEnum):
    READ = "read"
    CLAIM = "claim"
    RELEASE = "release"
    FORCE_RELEASE = "force_release"  # free an appeal somebody else holds
    ANSWER = "answer"
    NOTE = "note"
    RETURN = "return"
    REASSIGN = "reassign"
    NOT_APPEAL = "not_appeal"
    MERGE = "merge"
    DELIVERY = "delivery"  # retry an answer's failed delivery, or mark it delivered otherwise
    PAUSE = "pause"  # wait for the resident; and end the wait


_WORK = {
    Action.CLAIM,
    Action.RELEASE,
    Action.ANSWER,
    Action.NOTE,
    Action.RETURN,
    Action.MERGE,
    Action.DELIVERY,
    Action.PAUSE,
}
_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.AGENCY_STAFF: frozenset({Action.READ, *_WORK}),
    Role.CUR_OPERATOR: frozenset(Action),
    Role.GOVERNOR_OFFICE: frozenset({Action.READ}),
    Role.ADMIN: frozenset(),  # the directory and bindings, not residents' appeals
}


def may(principal: Principal, action: Action) -> bool:
    """Whether any of the caller's roles allows the action at all."""
    return any(action in _ALLOWED[role] for role in principal.roles)


def region_wide(principal: Principal) -> bool:
    """Sees every agency's appeals."""
    return principal.has(Role.CUR_OPERATOR) or principal.has(Role.GOVERNOR_OFFICE)


def visible_agencies(principal: Principal, directory: Directory) -> frozenset[str] | None:
    """The agencies whose appeals the caller sees; None for all of them."""
    if region_wide(principal):
        return None
    if not principal.has(Role.AGENCY_STAFF):
        return frozenset()
    return directory.with_subordinates(principal.agencies)


def can_see(principal: Principal, agency_id: str, directory: Directory) -> bool:
    visible = visible_agencies(principal, directory)
    return visible is None or agency_id in visible
