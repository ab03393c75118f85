"""The topics appeals are sorted into, with their place in the official classifier (ТОТК).

A first rule set: each topic lists word stems that point to it. The supervised model of the
classifier issue replaces the stems; the ids, names and sections stay.
"""

from dataclasses import dataclass
from enum import StrEnum


class TotkSection(StrEnum):
    """Top-level sections of the standard classifier of citizens' appeals (ТОТК)."""

    STATE = "0001"  # Государство, общество, политика
    SOCIAL = "0002"  # Социальная сфера
    ECONOMY = "0003"  # Экономика
    SECURITY = "0004"  # Оборона, безопасность, законность
    HOUSING = "0005"  # Жилищно-коммунальная сфера


class BodyType(StrEnum):
    MUNICIPAL = "municipal_administration"
    REGIONAL = "regional_ministry"
    FEDERAL = "federal_territorial_body"
    INSTITUTION = "subordinate_institution"
    OVERSEEN = "overseen_organisation"
    CONTROL_CENTRE = "regional_control_centre"


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    section: TotkSection
    body_type: BodyType
    stems: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "housing.heating",
        "Отопление",
        TotkSection.HOUSING,
        BodyType.OVERSEEN,
        ("отоплен", "батаре", "радиатор", "холодно в квартир", "теплоснаб"),
    ),
    Topic(
        "housing.water",
        "Водоснабжение и водоотведение",
        TotkSection.HOUSING,
        BodyType.OVERSEEN,
        (
            "вода",
            "воды",
            "воду",
            "водой",
            "водопровод",
            "водоснаб",
            "канализ",
            "кран",
            "напор",
            "прорыв труб",
        ),
    ),
    Topic(
        "housing.electricity",
        "Электроснабжение",
        TotkSection.HOUSING,
        BodyType.OVERSEEN,
        ("свет отключ", "электричеств", "электроэнерг", "без света", "нет света", "обесточ"),
    ),
    Topic(
        "housing.waste",
        "Вывоз мусора",
        TotkSection.HOUSING,
        BodyType.OVERSEEN,
        ("мусор", "контейнер", "отход", "свалк", "тко"),
    ),
    Topic(
        "housing.management",
        "Управляющие компании",
        TotkSection.HOUSING,
        BodyType.OVERSEEN,
        ("управляющ", "подъезд", "лифт", "крыш", "протека"),
    ),
    Topic(
        "roads.repair",
        "Ремонт дорог",
        TotkSection.ECONOMY,
        BodyType.MUNICIPAL,
        ("яма", "ямы", "дорог", "асфальт", "выбоин", "тротуар"),
    ),
    Topic(
        "transport.public",
        "Общественный транспорт",
        TotkSection.ECONOMY,
        BodyType.MUNICIPAL,
        ("автобус", "маршрут", "троллейбус", "остановк", "маршрутк", "транспорт"),
    ),
    Topic(
        "improvement.snow",
        "Уборка снега и наледи",
        TotkSection.HOUSING,
        BodyType.MUNICIPAL,
        ("снег", "налед", "гололед", "сосульк", "не чистят", "сугроб"),
    ),
    Topic(
        "improvement.lighting",
        "Уличное освещение",
        TotkSection.HOUSING,
        BodyType.MUNICIPAL,
        ("фонар", "освещен", "темно на улиц"),
    ),
    Topic(
        "improvement.yards",
        "Благоустройство дворов",
        TotkSection.HOUSING,
        BodyType.MUNICIPAL,
        ("двор", "детская площадка", "детской площадк", "лавочк", "скамейк", "газон", "парк"),
    ),
    Topic(
        "health.care",
        "Здравоохранение",
        TotkSection.SOCIAL,
        BodyType.REGIONAL,
        ("поликлиник", "больниц", "врач", "запис", "скорая", "скорой", "лекарств", "терапевт"),
    ),
    Topic(
        "education.schools",
        "Школы",
        TotkSection.SOCIAL,
        BodyType.INSTITUTION,
        ("школ", "учител", "класс", "урок"),
    ),
    Topic(
        "education.kindergartens",
        "Детские сады",
        TotkSection.SOCIAL,
        BodyType.INSTITUTION,
        ("детский сад", "детском саду", "детского сада", "детсад", "садик", "очередь в сад"),
    ),
    Topic(
        "social.support",
        "Социальная поддержка",
        TotkSection.SOCIAL,
        BodyType.REGIONAL,
        ("пособи", "выплат", "льгот", "пенси", "многодетн", "соцзащит"),
    ),
    Topic(
        "animals.stray",
        "Безнадзорные животные",
        TotkSection.HOUSING,
        BodyType.MUNICIPAL,
        ("собак", "стая", "бездомн", "бродяч"),
    ),
    Topic(
        "ecology",
        "Экология",
        TotkSection.ECONOMY,
        BodyType.REGIONAL,
        ("выброс", "запах гари", "экологи", "загрязн", "вырубк"),
    ),
    Topic(
        "safety.emergency",
        "Безопасность и чрезвычайные ситуации",
        TotkSection.SECURITY,
        BodyType.MUNICIPAL,
        ("пожар", "запах газа", "пахнет газом", "газом пахнет", "авари", "обрушен"),
    ),
)

# Not a topic but a destination: the control centre's triage queue for what rules cannot place.
UNPLACED = Topic(
    "other", "Прочее (на сортировку ЦУР)", TotkSection.STATE, BodyType.CONTROL_CENTRE, ()
)
NOT_APPEAL = Topic("not_appeal", "Не обращение", TotkSection.STATE, BodyType.CONTROL_CENTRE, ())

BY_ID = {t.id: t for t in (*TOPICS, UNPLACED, NOT_APPEAL)}
