"""Every Russian string of the console, under a stable English id (templates use `t.<id>`)."""

import re
from types import SimpleNamespace

TEXTS: dict[str, str] = {
    "product": "Госпаблики — обращения",
    "nav_queue": "Очередь",
    "nav_triage": "Сортировка ЦУР",
    "nav_overview": "Обзор по региону",
    "logout": "Выйти",
    "login": "Войти",
    "signed_out": "Вы вышли из системы.",
    "login_failed": "Войти не удалось: начните вход заново.",
    "login_unavailable": "Вход временно недоступен: сервер авторизации не отвечает.",
    "queue_title": "Мои обращения",
    "filters": "Фильтры",
    "filter_status": "Статус",
    "filter_claimed": "В работе",
    "claimed_any": "все",
    "claimed_me": "у меня",
    "claimed_unclaimed": "никем не взятые",
    "filter_urgent": "Только срочные",
    "filter_due": "Срок",
    "due_any": "любой",
    "due_overdue": "просрочены",
    "due_due_soon": "истекает в течение часа",
    "due_on_time": "больше часа",
    "due_no_deadline": "срок не назначен",
    "col_due": "Ответить до",
    "filter_platform": "Площадка",
    "filter_topic": "Тема",
    "filter_agency": "Ведомство",
    "any": "любая",
    "any_agency": "все ведомства",
    "apply": "Показать",
    "next_page": "Далее",
    "first_page": "В начало",
    "col_written": "Написано",
    "col_text": "Текст",
    "col_topic": "Тема",
    "col_agency": "Ведомство",
    "col_status": "Статус",
    "col_holder": "В работе у",
    "urgent": "срочно",
    "empty_queue": "Обращений нет.",
    "open_card": "Открыть",
    "card_title": "Обращение",
    "page": "Страница",
    "platform": "Площадка",
    "source": "Открыть на площадке",
    "no_source": "ссылки нет",
    "classification": "Классификация",
    "confidence": "уверенность",
    "routing_reason": "Причина маршрутизации",
    "classification_reason": "Почему эта тема",
    "places": "Упомянутые места",
    "no_places": "не названы",
    "revisions": "Редакции текста",
    "revision_original": "исходный текст",
    "revision_edited": "правка от",
    "breached": "просрочено",
    "agency": "Ведомство",
    "status": "Статус",
    "holder": "В работе у",
    "holder_until": "до",
    "nobody": "никто",
    "sla": "Срок (SLA)",
    "sla_due": "ответить до",
    "sla_was_due": "срок был до",
    "sla_steps": "Этапы SLA",
    "pause": "Ждать уточнения от заявителя",
    "pause_reason": "Что нужно от заявителя",
    "pause_placeholder": "например: номер дома и подъезда",
    "resume": "Уточнение получено — продолжить",
    "answer_interim": "Промежуточный ответ: обращение остаётся в работе",
    "interim_answer": "промежуточный ответ",
    "sla_step_fired": "сработал",
    "sla_step_due": "наступит",
    "sla_policy": "политика",
    "no_data": "нет данных",
    "answers": "Ответы",
    "no_answers": "Ответов пока нет.",
    "answered_on_platform": "ответ дан на площадке",
    "delivery_by_source": "ответ отправляется источником (сайт или колл-центр)",
    "delivery_link": "открыть ответ на площадке",
    "delivery_parts": "сообщений: {parts}",
    "delivery_round": "попытка {n}",
    "delivery_decided_by": "решение: {name}",
    "delivery_reason_other": "причина не указана",
    "delivery_retry": "Отправить повторно",
    "delivery_retry_unknown": "Ответа на площадке нет — отправить повторно",
    "delivery_mark": "Отметить доставленным иначе",
    "delivery_mark_comment": "Как житель получил ответ (необязательно)",
    "delivery_retried": "Ответ отправлен повторно.",
    "delivery_marked": "Отмечено: житель получил ответ иначе.",
    "delivery_not_found": "У этого обращения нет такой доставки ответа.",
    "delivery_refused": "Действие невозможно: {reason}.",
    "notes": "Заметки",
    "no_notes": "Заметок нет.",
    "history": "История",
    "no_history": "Изменений не было.",
    "actions": "Действия",
    "claim": "Взять в работу",
    "release": "Отпустить",
    "force_release": "Освободить (держит другой сотрудник)",
    "answer": "Ответить",
    "answer_text": "Текст ответа жителю",
    "answer_template": "Шаблон ответа",
    "insert_template": "Вставить шаблон",
    "no_template": "— без шаблона —",
    "reassign": "Перенаправить",
    "reassign_agency": "Новое ведомство",
    "reassign_topic": "Тема (если неверна), например roads.repair",
    "comment": "Комментарий",
    "return": "Вернуть в ЦУР",
    "return_comment": "Почему это обращение не к вашему ведомству",
    "not_appeal": "Не обращение",
    "merge": "Объединить",
    "merge_into": "Номер основного обращения",
    "note": "Заметка",
    "note_text": "Текст заметки (житель её не видит)",
    "add_note": "Добавить заметку",
    "stale": "Обращение изменил другой сотрудник — показано текущее состояние",
    "changed_banner": "Обращение изменилось с момента открытия.",
    "held_banner": "Обращение в работе у сотрудника: {name}.",
    "reload": "Обновить",
    "done": "Готово.",
    "invalid_form": "Проверьте поля формы: {fields}.",
    "invalid_target": "Такого ведомства или обращения нет.",
    "version_required": "Обновите страницу и повторите действие.",
    "error_title": "Ошибка",
    "not_found": "Обращение не найдено или недоступно вам.",
    "forbidden": "Вашей роли это действие недоступно.",
    "csrf": "Форма устарела: обновите страницу и повторите.",
    "back_to_queue": "К очереди",
    "triage_title": "Сортировка ЦУР",
    "suggestions": "Предлагаемые ведомства",
    "no_suggestions": "нет подходящих ведомств",
    "shortcuts": "Клавиши",
    "key_jk": "j / k — следующее / предыдущее обращение",
    "key_a": "a — направить в первое предложенное ведомство",
    "key_digits": "1–9 — направить в предложенное ведомство с этим номером",
    "key_o": "o — открыть карточку",
    "key_n": "n — к следующему обращению",
    "overview_title": "Обзор по региону",
    "grafana": "Подробнее — в Grafana",
    "col_open": "Открыто",
    "col_claimed": "В работе",
    "col_answered": "Отвечено",
    "col_withdrawn": "Удалено автором",
    "total": "Итого",
}

STATUS: dict[str, str] = {
    "open": "Открытые",
    "claimed": "В работе",
    "answered": "Отвечено",
    "withdrawn": "Удалено автором",
    "merged": "Объединено",
    "not_appeal": "Не обращение",
    "all": "Все",
    "routed": "Новое",
    "returned": "Возвращено в ЦУР",
    "paused": "Ждём уточнения от заявителя",
}

ACTION: dict[str, str] = {
    "claim": "взял(а) в работу",
    "release": "отпустил(а)",
    "force_release": "освободил(а) чужое обращение",
    "answer": "ответил(а)",
    "note": "добавил(а) заметку",
    "return": "вернул(а) в ЦУР",
    "reassign": "перенаправил(а)",
    "not_appeal": "отметил(а): не обращение",
    "merge": "объединил(а) с другим",
    "delivery_retry": "отправил(а) ответ повторно",
    "delivery_mark_delivered": "отметил(а) ответ доставленным иначе",
}

# An answer's delivery to the platform (domain.deliveries.DeliveryState).
DELIVERY: dict[str, str] = {
    "pending": "отправляется",
    "delivered": "опубликован",
    "failed": "не доставлен",
    "manual": "доставлен иначе",
}

# Why a delivery failed (appeals_common.events.DeliveryFailure), as an operator acts on it.
FAILURE: dict[str, str] = {
    "rate_limited": "площадка ограничила частоту запросов; попробуйте позже",
    "flood_control": "площадка сочла ответы слишком частыми или одинаковыми (защита от флуда)",
    "access_denied": "у сообщества или бота нет прав отвечать здесь",
    "target_deleted": "комментарий или сообщение заявителя удалено",
    "blocked_by_user": "заявитель заблокировал сообщество или бота",
    "captcha": "площадка требует ввести капчу: ответьте вручную",
    "too_long": "ответ слишком длинный для площадки",
    "invalid_token": "ключ доступа сообщества неверен, истёк или отозван",
    "no_credentials": "для этого сообщества не задан ключ доступа",
    "unknown_page": "сообщество не подключено к системе",
    "unsupported": "на этой площадке некуда отправить ответ",
    "outcome_unknown": (
        "неизвестно, опубликован ли ответ: проверьте на площадке, прежде чем отправлять повторно"
    ),
    "platform_error": "площадка не отвечала или возвращала ошибки",
}

SLA: dict[str, str] = {
    "open": "в срок",
    "overdue": "просрочено",
    "answered_in_time": "отвечено в срок",
    "answered_late": "отвечено с опозданием",
    "unrouted": "ещё не направлено",
    "withdrawn": "удалено автором",
    "closed": "закрыто",
}

RECIPIENT: dict[str, str] = {
    "agency": "ведомству",
    "head": "руководителю ведомства",
    "parent_head": "руководителю вышестоящего органа",
    "cur_supervisor": "руководителю ЦУР",
    "governor_office": "в аппарат губернатора",
}


def step_name(step: str) -> str:
    """An SLA step's key as an operator reads it: "warning-80" → «80 % срока»."""
    kind, _, number = step.partition("-")
    return {
        "warning": f"{number} % срока",
        "breach": "просрочено",
        "escalation": f"эскалация {number}",
        "resolution": "нет окончательного ответа",
    }.get(kind, step)


PLATFORM: dict[str, str] = {
    "vk": "ВКонтакте",
    "ok": "Одноклассники",
    "telegram": "Telegram",
    "max": "MAX",
    "api": "Сайт / колл-центр",
}

_REFUSALS: tuple[tuple[str, str], ...] = (
    (r"the appeal is already answered", "На обращение уже ответили."),
    (r"the appeal was merged into another one", "Обращение объединено с другим."),
    (r"the appeal was marked as not an appeal", "Обращение отмечено как «не обращение»."),
    (r"the appeal was deleted on the platform", "Автор удалил обращение на площадке."),
    (r"the appeal is not held by anyone", "Обращение никто не держит в работе."),
    (r"the appeal already waits for the resident", "Обращение уже ждёт уточнения от заявителя."),
    (r"the appeal is not waiting for the resident", "Обращение не ждёт уточнения от заявителя."),
    (r"the appeal is held by (?P<name>.+)", "Обращение в работе у сотрудника: {name}."),
    (r"the appeal is already in the triage queue", "Обращение уже в очереди ЦУР."),
    (
        r"the appeal is already with (?P<agency>\S+) under (?P<topic>\S+)",
        "Обращение уже у этого ведомства ({agency}) с этой темой ({topic}).",
    ),
)


def refusal(reason: str) -> str:
    """The lifecycle's English refusal in Russian, keeping the names it carries."""
    for pattern, text in _REFUSALS:
        match = re.fullmatch(pattern, reason)
        if match:
            return text.format(**match.groupdict())
    return f"Действие невозможно: {reason}"


t = SimpleNamespace(**TEXTS)
