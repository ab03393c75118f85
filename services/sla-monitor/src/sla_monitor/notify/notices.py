"""What an official is told about an SLA step, in Russian: pure, no I/O.

A notice carries the appeal's id, the body, the deadline, the policy and the card's link, and
nothing about the resident: who wrote and what stays behind the card's access checks
(152-FZ). Do not add such fields here.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

_STEP = re.compile(r"(warning|escalation)-([1-9]\d*)|breach|resolution")


@dataclass(frozen=True)
class Contact:
    """An official and where they can be reached; either channel may be missing."""

    name: str
    position: str
    email: str | None
    telegram_chat_id: str | None


@dataclass(frozen=True)
class Notice:
    """One SLA step to tell one official about."""

    appeal_id: uuid.UUID
    step: str  # the Step key: "warning-50", "breach", "escalation-1", "resolution"
    share: float  # of the target that has passed: 0.5 for "warning-50"
    agency_name: str
    # The deadline of the step's target (the first response; the final answer for
    # "resolution"), not the step's own time: a warning at half names the deadline ahead.
    due_at: datetime
    fired_at: datetime
    policy_name: str
    card_url: str
    to: Contact

    def __post_init__(self) -> None:
        if not _STEP.fullmatch(self.step):
            raise ValueError(f"unknown SLA step {self.step!r}")
        if self.due_at.utcoffset() is None or self.fired_at.utcoffset() is None:
            raise ValueError("due_at and fired_at must be timezone-aware")


def subject(notice: Notice) -> str:
    """The headline: an e-mail's subject, a Telegram message's first line."""
    kind, level = _kind(notice)
    if kind == "warning":
        return f"Обращение ждёт ответа: прошло {_percent(notice)} % срока"
    if kind == "escalation":
        return f"Эскалация: обращение без ответа после истечения срока (уровень {level})"
    if kind == "resolution":
        return "Истёк срок окончательного ответа"
    return "Срок ответа на обращение истёк"


def text(notice: Notice, zone: ZoneInfo | None = None) -> str:
    """The body: what happened, then the body, the deadline in `zone` (else in the zone of
    `due_at`: the body's own), the policy, the link."""
    zone = zone or _zone_of(notice.due_at)
    kind, level = _kind(notice)
    lead, label = {
        "warning": (
            f"Прошло {_percent(notice)} % срока первого ответа на обращение, ответа пока нет.",
            "Срок ответа",
        ),
        "breach": ("Срок первого ответа на обращение истёк, ответа нет.", "Срок ответа истёк"),
        "escalation": (
            f"Обращение осталось без ответа после истечения срока. Эскалация, уровень {level}.",
            "Срок ответа истёк",
        ),
        "resolution": (
            "Срок окончательного ответа на обращение истёк, окончательного ответа нет.",
            "Срок окончательного ответа истёк",
        ),
    }[kind]
    to = notice.to
    return "\n".join(
        [
            lead,
            "",
            f"Ведомство: {notice.agency_name}",
            f"{label}: {deadline(notice.due_at, zone)}",
            f"Политика SLA: {notice.policy_name}",
            f"Карточка обращения: {notice.card_url}",
            f"Получатель: {to.name}, {to.position}",
        ]
    )


def deadline(moment: datetime, zone: ZoneInfo) -> str:
    """`dd.mm.yyyy HH:MM (Zone/Name, UTC+h)`: the zone's name alone does not say the offset."""
    local = moment.astimezone(zone)
    offset = local.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    hours, rest = divmod(abs(minutes), 60)
    shift = f"{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{local:%d.%m.%Y %H:%M} ({zone.key}, UTC{shift})"


def _zone_of(moment: datetime) -> ZoneInfo:
    return moment.tzinfo if isinstance(moment.tzinfo, ZoneInfo) else ZoneInfo("UTC")


def _kind(notice: Notice) -> tuple[str, int | None]:
    found = _STEP.fullmatch(notice.step)
    assert found is not None  # checked when the notice was made
    if found.group(1):
        return found.group(1), int(found.group(2))
    return notice.step, None


def _percent(notice: Notice) -> int:
    return round(notice.share * 100)
