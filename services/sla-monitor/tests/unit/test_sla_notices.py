"""What officials are told about an SLA step: the headline and body of each step kind, the
deadline in the body's time zone, and nothing about the resident."""

import ast
import dataclasses
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla_monitor.notify import notices
from sla_monitor.notify.notices import Contact, Notice, deadline, subject, text

MOSCOW, KAMCHATKA = ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Kamchatka")
APPEAL = uuid.UUID("3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b")
CARD = f"https://sla.example.ru/appeals/{APPEAL}"
HEAD = Contact("Петров Пётр Петрович", "начальник управления", "petrov@adm.example.ru", "4242")


def notice(step: str, share: float = 1.0) -> Notice:
    return Notice(
        appeal_id=APPEAL,
        step=step,
        share=share,
        agency_name="Управление ЖКХ администрации г. Иваново",
        due_at=datetime(2025, 3, 12, 15, 0, tzinfo=UTC),
        fired_at=datetime(2025, 3, 12, 15, 1, tzinfo=UTC),
        policy_name="Обычные обращения",
        card_url=CARD,
        to=HEAD,
    )


@pytest.mark.parametrize(
    ("step", "share", "headline", "lead", "label"),
    [
        ("warning-50", 0.5, "Обращение ждёт ответа: прошло 50 % срока",
         "Прошло 50 % срока первого ответа", "Срок ответа: "),
        ("warning-80", 0.8, "Обращение ждёт ответа: прошло 80 % срока",
         "Прошло 80 % срока первого ответа", "Срок ответа: "),
        ("breach", 1.0, "Срок ответа на обращение истёк",
         "Срок первого ответа на обращение истёк", "Срок ответа истёк: "),
        ("escalation-2", 2.5,
         "Эскалация: обращение без ответа после истечения срока (уровень 2)",
         "Эскалация, уровень 2.", "Срок ответа истёк: "),
        ("resolution", 1.0, "Истёк срок окончательного ответа",
         "Срок окончательного ответа на обращение истёк", "Срок окончательного ответа истёк: "),
    ],
)  # fmt: skip
def test_each_step_kind_has_its_headline_and_body(
    step: str, share: float, headline: str, lead: str, label: str
) -> None:
    body = text(notice(step, share), MOSCOW)

    assert subject(notice(step, share)) == headline
    assert lead in body.splitlines()[0]
    assert f"{label}12.03.2025 18:00 (Europe/Moscow, UTC+3)" in body.splitlines()


def test_the_body_names_the_agency_policy_card_and_recipient() -> None:
    lines = text(notice("breach"), MOSCOW).splitlines()

    assert lines[2:] == [
        "Ведомство: Управление ЖКХ администрации г. Иваново",
        "Срок ответа истёк: 12.03.2025 18:00 (Europe/Moscow, UTC+3)",
        "Политика SLA: Обычные обращения",
        f"Карточка обращения: {CARD}",
        "Получатель: Петров Пётр Петрович, начальник управления",
    ]


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (MOSCOW, "12.03.2025 18:00 (Europe/Moscow, UTC+3)"),
        (KAMCHATKA, "13.03.2025 03:00 (Asia/Kamchatka, UTC+12)"),  # the next day there
        (ZoneInfo("Asia/Kolkata"), "12.03.2025 20:30 (Asia/Kolkata, UTC+5:30)"),
        (ZoneInfo("America/New_York"), "12.03.2025 11:00 (America/New_York, UTC-4)"),
    ],
)
def test_the_deadline_is_shown_in_the_zone_given(zone: ZoneInfo, shown: str) -> None:
    assert deadline(notice("breach").due_at, zone) == shown
    assert shown in text(notice("breach"), zone)


def test_a_notice_has_no_field_for_the_resident() -> None:
    # 152-FZ: the resident's name, contacts and words stay behind the card's access checks.
    assert [f.name for f in dataclasses.fields(Notice)] == [
        "appeal_id", "step", "share", "agency_name", "due_at", "fired_at", "policy_name",
        "card_url", "to",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Contact)] == [
        "name", "position", "email", "telegram_chat_id",
    ]  # fmt: skip


def test_the_texts_say_only_what_the_notice_holds() -> None:
    sent = notice("escalation-1", 1.5)
    known = {sent.agency_name, sent.policy_name, sent.card_url, f"{HEAD.name}, {HEAD.position}"}

    body = text(sent, MOSCOW)

    # Every line after the lead is a label and one of the notice's values, or the deadline.
    for line in body.splitlines()[2:]:
        label, value = line.split(": ", 1)
        assert value in known or label == "Срок ответа истёк", line
    assert HEAD.email not in body and "4242" not in body  # the official's own contacts too


@pytest.mark.parametrize("step", ["warning", "warning-0", "escalation-", "breach-1", "late", ""])
def test_an_unknown_step_is_refused(step: str) -> None:
    with pytest.raises(ValueError, match="unknown SLA step"):
        notice(step)


def test_a_naive_deadline_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(notice("breach"), due_at=datetime(2025, 3, 12, 15, 0))


def test_the_notices_module_does_no_io() -> None:
    tree = ast.parse(Path(notices.__file__).read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }

    assert imported <= {"dataclasses", "datetime", "re", "uuid", "zoneinfo"}
