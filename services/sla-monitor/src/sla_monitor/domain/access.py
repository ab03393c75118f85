"""Who may read which SLA clocks (pure): the region-wide roles every clock, agency staff the
clocks of their own agencies; an appeal of another agency does not exist for them (404)."""

from appeals_common.auth import Principal, Role


def reads_sla(principal: Principal) -> bool:
    return bool(principal.roles & {Role.CUR_OPERATOR, Role.GOVERNOR_OFFICE, Role.AGENCY_STAFF})


def visible_agencies(principal: Principal) -> frozenset[str] | None:
    """The agencies whose clocks the caller reads; None for every agency."""
    if principal.has(Role.CUR_OPERATOR) or principal.has(Role.GOVERNOR_OFFICE):
        return None
    return principal.agencies if principal.has(Role.AGENCY_STAFF) else frozenset()


def can_see(principal: Principal, agency_id: str | None) -> bool:
    visible = visible_agencies(principal)
    return visible is None or (agency_id is not None and agency_id in visible)
