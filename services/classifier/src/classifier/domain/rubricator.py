"""The topics appeals are sorted into: ids, Russian names, ТОТК sections and who answers.

Topic ids are stable (events, the agency directory and the training data use them). Each topic
names the type and level of body that answers for it; the router turns that into one agency.
Subtopics carry keywords, written as people write them: the classifier lemmatises them once
and uses them twice, as features of the topic model and to pick the subtopic of the topic it
chose (the training data is labelled by topic only).
"""

from dataclasses import dataclass, field
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


class BodyLevel(StrEnum):
    FEDERAL = "federal"
    REGIONAL = "regional"
    MUNICIPAL = "municipal"


@dataclass(frozen=True)
class Subtopic:
    id: str
    name: str
    keywords: tuple[str, ...]  # a word, or words joined by "_" for a phrase


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    section: TotkSection
    body_type: BodyType
    body_level: BodyLevel
    subtopics: tuple[Subtopic, ...] = field(default=())


def _sub(topic_id: str, sub_id: str, name: str, keywords: str) -> Subtopic:
    return Subtopic(f"{topic_id}.{sub_id}", name, tuple(keywords.split()))


def _topic(
    topic_id: str,
    name: str,
    where: tuple[TotkSection, BodyType, BodyLevel],
    subtopics: dict[str, tuple[str, str]],
) -> Topic:
    subs = tuple(_sub(topic_id, sid, sname, words) for sid, (sname, words) in subtopics.items())
    return Topic(topic_id, name, *where, subs)


_S, _B, _L = TotkSection, BodyType, BodyLevel
_UTILITY = (_S.HOUSING, _B.OVERSEEN, _L.MUNICIPAL)
_REGIONAL_UTILITY = (_S.HOUSING, _B.OVERSEEN, _L.REGIONAL)
_CITY_HOUSING = (_S.HOUSING, _B.MUNICIPAL, _L.MUNICIPAL)
_CITY_ECONOMY = (_S.ECONOMY, _B.MUNICIPAL, _L.MUNICIPAL)
_REGIONAL_SOCIAL = (_S.SOCIAL, _B.REGIONAL, _L.REGIONAL)
_SCHOOLING = (_S.SOCIAL, _B.INSTITUTION, _L.MUNICIPAL)

TOPICS: tuple[Topic, ...] = (
    _topic(
        "housing.heating",
        "Отопление",
        _UTILITY,
        {
            "outage": ("Нет отопления", "отопление батарея радиатор холодный_батарея мерзнуть"),
            "season": (
                "Начало и конец отопительного сезона",
                "отопительный_сезон дать_тепло котельная",
            ),
            "network": (
                "Теплосети и теплотрассы",
                "теплотрасса теплосеть теплоснабжение теплоснаб",
            ),
        },
    ),
    _topic(
        "housing.water",
        "Водоснабжение и водоотведение",
        _UTILITY,
        {
            "outage": ("Нет воды", "вода водоснабжение отключить_вода напор"),
            "quality": ("Качество воды", "ржавый грязный_вода мутный питьевой"),
            "hot": ("Горячая вода", "горячий_вода гвс"),
            "sewage": ("Канализация", "канализация засор водоотведение стоки"),
            "mains": ("Водопровод и колонки", "водопровод водоканал колонка прорыв"),
            "manholes": ("Люки и колодцы", "люк колодец крышка_люк"),
        },
    ),
    _topic(
        "housing.electricity",
        "Электроснабжение",
        _REGIONAL_UTILITY,
        {
            "outage": ("Отключения света", "свет электричество электроснабжение обесточить"),
            "voltage": ("Напряжение", "напряжение скачок моргать"),
            "lines": ("Линии и провода", "провод электросеть столб искрить трансформатор"),
        },
    ),
    _topic(
        "housing.gas",
        "Газоснабжение",
        _REGIONAL_UTILITY,
        {
            "supply": ("Газоснабжение", "газ газоснабжение газовый газовик"),
            "gasification": ("Газификация", "газификация газифицировать подключение_газ"),
            "equipment": (
                "Газовое оборудование и счётчики",
                "плита колонка газовщик газовый_оборудование",
            ),
        },
    ),
    _topic(
        "housing.waste",
        "Вывоз мусора",
        _REGIONAL_UTILITY,
        {
            "collection": ("Вывоз мусора", "мусор вывоз контейнер мусорка помойка бак"),
            "operator": ("Региональный оператор", "регоператор региональный_оператор тко"),
            "dumps": ("Несанкционированные свалки", "свалка навал"),
            "bulky": ("Крупногабаритный мусор", "крупногабаритный кгм"),
        },
    ),
    _topic(
        "housing.management",
        "Управляющие компании и содержание домов",
        _UTILITY,
        {
            "company": (
                "Работа управляющей компании",
                "ук управляйка управляющий_компания тсж диспетчер",
            ),
            "common": (
                "Подъезды и общее имущество",
                "подъезд парадный лестничный_клетка чердак уборка_подъезд общий_имущество",
            ),
            "roof": ("Кровля и протечки", "крыша кровля протекать течь козырек"),
            "lift": ("Лифты", "лифт"),
            "facade": ("Фасады и балконы", "фасад балкон кондиционер штукатурка облицовка"),
            "basement": ("Подвалы и продухи", "подвал продух подтопить_подвал"),
            "drainage": ("Водостоки и отмостка", "водосток водосточный_труба отмостка"),
            "pests": ("Грызуны и насекомые", "крыса мышь таракан клоп дератизация дезинсекция"),
        },
    ),
    _topic(
        "housing.capital_repair",
        "Капитальный ремонт",
        _REGIONAL_UTILITY,
        {
            "fund": ("Фонд и взносы", "фонд_капремонт взнос капремонт"),
            "works": ("Качество работ", "капитальный_ремонт подрядчик фасад"),
        },
    ),
    _topic(
        "housing.payments",
        "Начисления и тарифы ЖКУ",
        (_S.HOUSING, _B.REGIONAL, _L.REGIONAL),
        {
            "charges": ("Начисления и перерасчёт", "квитанция начисление перерасчет платежка"),
            "tariffs": ("Тарифы", "тариф подорожать"),
            "meters": ("Счётчики и показания", "счетчик показание"),
            "debts": ("Долги", "долг задолженность пени"),
        },
    ),
    _topic(
        "housing.dwelling",
        "Жилищные вопросы",
        _CITY_HOUSING,
        {
            "unsafe": ("Аварийное жильё и расселение", "аварийный расселение расселить барак"),
            "queue": ("Очередь на жильё", "очередь_жилье улучшение_жилищный малоимущий"),
            "programmes": (
                "Жильё сиротам и молодым семьям",
                "сирота сертификат молодой_семья соцнайм",
            ),
        },
    ),
    _topic(
        "roads.repair",
        "Дороги",
        _CITY_ECONOMY,
        {
            "potholes": ("Ямы и ремонт дорог", "яма дорога асфальт выбоина ремонт_дорога"),
            "sidewalks": ("Тротуары", "тротуар пешеходный"),
            "traffic": ("Светофоры, знаки, разметка", "светофор знак разметка переход обочина"),
            "dirt_roads": ("Грунтовые дороги", "грунтовка грейдер щебень пыль"),
        },
    ),
    _topic(
        "transport.public",
        "Общественный транспорт",
        _CITY_ECONOMY,
        {
            "schedule": ("Расписание и маршруты", "автобус маршрут расписание рейс"),
            "service": ("Водители и качество", "водитель кондуктор маршрутка троллейбус"),
            "fares": (
                "Проезд и транспортные карты",
                "проезд карта_проезд стоимость_проезд транспортный_карта",
            ),
            "stops": ("Остановки", "остановка павильон"),
        },
    ),
    _topic(
        "improvement.snow",
        "Уборка снега и наледи",
        _CITY_HOUSING,
        {
            "snow": ("Уборка снега", "снег сугроб чистить уборка_снег снегоуборочный"),
            "ice": ("Наледь и гололёд", "гололед наледь посыпать скользко"),
            "icicles": ("Сосульки", "сосулька"),
        },
    ),
    _topic(
        "improvement.lighting",
        "Уличное освещение",
        _CITY_HOUSING,
        {
            "outage": ("Не горят фонари", "фонарь освещение темно гореть"),
            "posts": ("Опоры освещения", "опора_освещение"),
        },
    ),
    _topic(
        "improvement.advertising",
        "Реклама, вывески, объявления и граффити",
        _CITY_HOUSING,
        {
            "adverts": ("Наружная реклама", "реклама рекламный баннер растяжка билборд стела"),
            "signs": ("Вывески", "вывеска"),
            "notices": ("Объявления", "объявление листовка расклеить"),
            "graffiti": ("Граффити и надписи", "граффити надпись разрисовать"),
        },
    ),
    _topic(
        "improvement.yards",
        "Благоустройство",
        _CITY_HOUSING,
        {
            "yards": ("Дворы", "двор благоустройство лавочка скамейка"),
            "playgrounds": ("Детские площадки", "детский_площадка качель горка песочница"),
            "parks": ("Парки и скверы", "парк сквер фонтан городской_среда"),
            "greenery": ("Деревья и газоны", "дерево газон обрезка покос трава клумба спилить"),
        },
    ),
    _topic(
        "health.care",
        "Здравоохранение",
        _REGIONAL_SOCIAL,
        {
            "appointments": ("Запись к врачу", "запись записаться талон врач"),
            "clinics": ("Поликлиники и больницы", "поликлиника больница фап црб"),
            "ambulance": ("Скорая помощь", "скорая_помощь скорая"),
            "medicines": ("Лекарства", "лекарство льготный_лекарство аптека рецепт"),
        },
    ),
    _topic(
        "education.schools",
        "Школы",
        _SCHOOLING,
        {
            "teaching": ("Учителя и учёба", "учитель урок класс экзамен егэ огэ травля"),
            "food": ("Питание в школе", "столовая питание"),
            "admission": ("Зачисление в школу", "первый_класс зачисление"),
            "transport": ("Школьный автобус", "школьный_автобус"),
        },
    ),
    _topic(
        "education.kindergartens",
        "Детские сады",
        _SCHOOLING,
        {
            "queue": ("Очередь и места", "очередь_сад место_сад путевка"),
            "care": ("Группы, воспитатели, питание", "воспитатель группа садик детсад"),
            "fees": ("Родительская плата", "родительский_плата"),
        },
    ),
    _topic(
        "social.support",
        "Социальная поддержка",
        _REGIONAL_SOCIAL,
        {
            "benefits": ("Пособия и выплаты", "пособие выплата единый_пособие"),
            "families": ("Многодетные семьи", "многодетный"),
            "disabled": ("Инвалиды", "инвалид инвалидность"),
            "svo": ("Семьи участников СВО", "сво мобилизовать участник"),
            "services": (
                "Соцобслуживание и льготы",
                "соцзащита льгота субсидия социальный ветеран соцтакси",
            ),
        },
    ),
    _topic(
        "ecology",
        "Экология",
        (_S.ECONOMY, _B.REGIONAL, _L.REGIONAL),
        {
            "air": ("Загрязнение воздуха", "выброс дым вонь запах сжигание"),
            "water": ("Загрязнение водоёмов", "река загрязнение слив"),
            "forest": ("Вырубка лесов", "вырубка лес"),
            "landfill": ("Полигоны", "полигон"),
        },
    ),
    _topic(
        "safety.emergency",
        "ЧС и пожарная безопасность",
        (_S.SECURITY, _B.FEDERAL, _L.FEDERAL),
        {
            "fire": ("Пожары", "пожар гореть возгорание"),
            "flood": ("Паводки и подтопления", "паводок подтопление затопить"),
            "storm": ("Последствия непогоды", "ураган упасть_дерево"),
            "rescue": ("Поиск и спасение", "пропасть лед эвакуация спасатель"),
        },
    ),
    _topic(
        "safety.order",
        "Общественный порядок",
        (_S.SECURITY, _B.FEDERAL, _L.FEDERAL),
        {
            "noise": ("Шум", "шум шуметь музыка"),
            "drunks": ("Пьяные и наркотики", "пьяный пьянка закладка наркоман драка вандал"),
            "parking": ("Парковка на газонах", "парковка парковаться"),
            "police": ("Работа полиции", "полиция участковый"),
        },
    ),
    _topic(
        "animals.stray",
        "Безнадзорные животные",
        (_S.HOUSING, _B.MUNICIPAL, _L.MUNICIPAL),
        {
            "dogs": ("Стаи собак", "собака стая бродячий бездомный"),
            "bites": ("Укусы", "укусить покусать"),
            "shelters": ("Отлов и приюты", "отлов приют стерилизация"),
        },
    ),
    _topic(
        "construction",
        "Строительство и архитектура",
        _CITY_ECONOMY,
        {
            "illegal": ("Самострой и разрешения", "стройка строительство разрешение снос"),
            "delays": ("Долгострой и дольщики", "долгострой дольщик застройщик"),
            "land": ("Земельные участки", "участок земельный межевание"),
        },
    ),
    _topic(
        "trade.prices",
        "Торговля и цены",
        (_S.ECONOMY, _B.REGIONAL, _L.REGIONAL),
        {
            "prices": ("Цены", "цена дорого подорожание"),
            "shops": ("Магазины и качество товаров", "магазин просрочка продавец"),
            "street": ("Уличная торговля и рынки", "рынок ларек киоск торговать"),
            "alcohol": ("Продажа алкоголя", "алкоголь пиво несовершеннолетний"),
        },
    ),
    _topic(
        "communications",
        "Связь и интернет",
        (_S.ECONOMY, _B.REGIONAL, _L.REGIONAL),
        {
            "mobile": ("Мобильная связь", "связь сотовый вышка таксофон"),
            "internet": ("Интернет", "интернет"),
            "post": ("Почта", "почта почтовый отделение"),
            "tv": ("Телевидение", "телевидение тв цифровой"),
        },
    ),
    _topic(
        "culture.sport",
        "Культура, спорт и досуг",
        _CITY_ECONOMY,
        {
            "culture": (
                "Учреждения культуры",
                "библиотека музей дк клуб дом_культура театр кружок",
            ),
            "sport": ("Спорт", "стадион спортивный секция каток бассейн тренер"),
            "events": ("Мероприятия", "концерт праздник фестиваль туризм"),
        },
    ),
    _topic(
        "documents.services",
        "Документы и госуслуги",
        (_S.STATE, _B.INSTITUTION, _L.REGIONAL),
        {
            "mfc": ("МФЦ", "мфц"),
            "gosuslugi": ("Госуслуги", "госуслуга портал"),
            "documents": ("Паспорта и регистрация", "паспорт прописка регистрация справка"),
            "registry": ("ЗАГС", "загс"),
        },
    ),
    _topic(
        "employment",
        "Труд и занятость",
        _REGIONAL_SOCIAL,
        {
            "wages": ("Задержка зарплаты", "зарплата задержка_зарплата"),
            "jobs": ("Работа и безработица", "вакансия безработица центр_занятость неофициальный"),
            "layoffs": ("Сокращения", "сокращение увольнение уволить"),
        },
    ),
    _topic(
        "governance",
        "Работа органов власти",
        (_S.STATE, _B.MUNICIPAL, _L.MUNICIPAL),
        {
            "inaction": ("Бездействие чиновников", "чиновник бездействие отписка глава губернатор"),
            "proposals": ("Предложения", "предложение предлагать"),
            "budget": ("Бюджет и выборы", "бюджет выборы слушание депутат"),
        },
    ),
)

# Not topics but destinations: the control centre's triage queue, and what is no appeal at all.
_CONTROL_CENTRE = (_S.STATE, _B.CONTROL_CENTRE, _L.REGIONAL)
UNPLACED = Topic("other", "Прочее (на сортировку ЦУР)", *_CONTROL_CENTRE)
NOT_APPEAL = Topic("not_appeal", "Не обращение", *_CONTROL_CENTRE)

BY_ID = {t.id: t for t in (*TOPICS, UNPLACED, NOT_APPEAL)}
