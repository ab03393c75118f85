"""The demo batch: appeals as residents of Ivanovo and Kineshma really write them.

Plain data for `tools/demo.py` and `tools/bench.py`. Each item says where it was written
(`channel` and `page`), the text, and how a person would label it (`expected_topic` from the
classifier's rubricator, `urgent`): a small hand-labelled sample the rules are checked against.
Addresses are real streets, the people are invented; no names beyond a first name in a signature.

Channels: `vk_comment` (a comment under a post of the VK community `page`), `vk_message`
(a private message to that community), `site` (the Ivanovo administration's web form) and
`callcentre` (the regional 122 line, typed in by its operator). `build_request` turns an item
into the request its channel sends to ingest, with the appeal id ingest will give it.
"""

import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypedDict

from appeals_common.events import AppealKind, Platform
from ingest.adapters.page_registry_file import load_seed
from ingest.domain.normalise import appeal_id
from ingest.domain.pages import Page, PageRegistry

ROOT = Path(__file__).resolve().parents[1]

Channel = Literal["vk_comment", "vk_message", "site", "callcentre"]


class DemoAppeal(TypedDict):
    key: str  # unique within the batch; part of the external ids
    channel: Channel
    page: str  # VK group id for vk_*, the registered page id otherwise
    text: str
    expected_topic: str  # rubricator topic id, "other" for triage, "not_appeal"
    urgent: bool


VK_IVANOVO = "220001"  # Администрация города Иваново
VK_REGION = "220002"  # Правительство Ивановской области
VK_KINESHMA = "220003"  # Администрация городского округа Кинешма
SITE = "site-ivanovo"
CALLCENTRE = "callcentre-region"

DEMO_APPEALS: list[DemoAppeal] = [
    {
        "key": "heating-lezhnevskaya",
        "channel": "vk_comment",
        "page": VK_IVANOVO,
        "text": "у нас на Лежневской 120 опять батареи ледяные!!! третий день дети спят в "
        "куртках, в управляйке трубку не берут. Когда дадут нормальное отопление??? 😡😡",
        "expected_topic": "housing.heating",
        "urgent": False,
    },
    {
        "key": "water-kuznetsova",
        "channel": "vk_message",
        "page": VK_IVANOVO,
        "text": "Здравствуйте. ул Кузнецова д 67 нет горячей воды с понедельника, а холодная "
        "идет ржавая. Напор на 5 этаже никакой. Сколько можно терпеть",
        "expected_topic": "housing.water",
        "urgent": False,
    },
    {
        "key": "waste-kukonkovykh",
        "channel": "vk_comment",
        "page": VK_IVANOVO,
        "text": "контейнерная площадка на Куконковых 144 завалена мусором уже неделю, крысы "
        "бегают прямо возле детской площадки 🤢 фото в комментах",
        "expected_topic": "housing.waste",
        "urgent": False,
    },
    {
        "key": "potholes-zhideleva",
        "channel": "vk_comment",
        "page": VK_IVANOVO,
        "text": "На ул. Жиделева такие ямы что я вчера пробила колесо. Дорогу латали прошлым "
        "летом и все опять развалилось. Кто за это отвечает?",
        "expected_topic": "roads.repair",
        "urgent": False,
    },
    {
        "key": "bus-7-evenings",
        "channel": "site",
        "page": SITE,
        "text": "Автобус №7 по вечерам после 20:00 практически не ходит, на остановке у "
        "Рабочего посёлка стоим по 40 минут в мороз. Прошу вернуть вечерние рейсы маршрута.",
        "expected_topic": "transport.public",
        "urgent": False,
    },
    {
        "key": "snow-sovetskaya",
        "channel": "vk_comment",
        "page": VK_IVANOVO,
        "text": "ДВОР НА СОВЕТСКОЙ 25 НЕ ЧИСТЯТ С НОВОГО ГОДА!!! сугробы по пояс, бабушки из "
        "подъезда выйти не могут, машины буксуют. ДОКОЛЕ",
        "expected_topic": "improvement.snow",
        "urgent": False,
    },
    {
        "key": "lights-8-marta",
        "channel": "vk_message",
        "page": VK_IVANOVO,
        "text": "добрый вечер. на ул 8 Марта у домов 30-34 не горит ни один фонарь уже две "
        "недели, освещения нет совсем. темно хоть глаз выколи, страшно с работы идти",
        "expected_topic": "improvement.lighting",
        "urgent": False,
    },
    {
        "key": "yard-belorossova",
        "channel": "site",
        "page": SITE,
        "text": "Прошу включить наш двор (ул. Танкиста Белороссова, д. 12) в программу "
        "благоустройства. Детская площадка сломана, лавочки разломаны, вместо газона грязь. "
        "Жители дома готовы участвовать.",
        "expected_topic": "improvement.yards",
        "urgent": False,
    },
    {
        "key": "clinic-7-therapist",
        "channel": "vk_comment",
        "page": VK_REGION,
        "text": "в поликлинике №7 записаться к терапевту невозможно!! на госуслугах талонов нет "
        "на 2 недели вперед, в регистратуре трубку не берут. что делать пожилым людям",
        "expected_topic": "health.care",
        "urgent": False,
    },
    {
        "key": "school-26-cold",
        "channel": "vk_message",
        "page": VK_IVANOVO,
        "text": "Здравствуйте, в школе №26 в кабинетах +14, дети сидят на уроках в куртках. "
        "учителя говорят что ничего сделать не могут. Примите меры пожалуйста",
        "expected_topic": "education.schools",
        "urgent": False,
    },
    {
        "key": "kindergarten-queue",
        "channel": "site",
        "page": SITE,
        "text": "Стоим в очереди в детский сад с 2023 года, ребенку уже 3,5. В Ленинском районе "
        "мест нет, предлагают садик на другом конце города без транспорта. Когда дадут место??",
        "expected_topic": "education.kindergartens",
        "urgent": False,
    },
    {
        "key": "benefit-large-family",
        "channel": "callcentre",
        "page": CALLCENTRE,
        "text": "Звонок на линию 122. Многодетная мама из Кинешмы: с марта не приходит единое "
        "пособие на детей, в соцзащите отвечают что документы на проверке. Просит разобраться.",
        "expected_topic": "social.support",
        "urgent": False,
    },
    {
        "key": "dogs-vichugskaya",
        "channel": "vk_comment",
        "page": VK_KINESHMA,
        "text": "на Вичугской стая собак бросается на детей возле школы!!! боимся отпускать "
        "детей одних 🐕🐕🐕 примите меры пока никого не покусали",
        "expected_topic": "animals.stray",
        "urgent": True,  # a pack going for children: a danger to health
    },
    {
        "key": "gas-pravdy",
        "channel": "vk_comment",
        "page": VK_KINESHMA,
        "text": "СРОЧНО!!! ул. Правды 108, на 3 этаже сильно пахнет газом, запах газа по всей "
        "лестнице уже час. в 04 дозвониться не можем",
        "expected_topic": "housing.gas",
        "urgent": True,
    },
    {
        "key": "pipe-burst-ermaka",
        "channel": "vk_message",
        "page": VK_IVANOVO,
        "text": "ПРОРЫВ трубы отопления в подвале дома Ермака 9, кипяток хлещет, в подъезде "
        "пар, батареи уже остывают. аварийка едет?",
        "expected_topic": "housing.heating",
        "urgent": True,
    },
    {
        "key": "thanks-asphalt",
        "channel": "vk_comment",
        "page": VK_IVANOVO,
        "text": "Огромное спасибо дорожникам за новый асфальт на Шереметевском проспекте!!! "
        "Ездить одно удовольствие 👍👍👍",
        "expected_topic": "not_appeal",
        "urgent": False,
    },
    {
        "key": "thanks-water-repair",
        "channel": "vk_message",
        "page": VK_KINESHMA,
        "text": "Благодарим коммунальщиков, что так быстро починили водопровод на "
        "Островского. Молодцы ребята! Галина",
        "expected_topic": "not_appeal",
        "urgent": False,
    },
    {
        "key": "mobile-signal-village",
        "channel": "vk_comment",
        "page": VK_REGION,
        "text": "Почему в нашем посёлке до сих пор нет нормальной мобильной связи и интернета? "
        "пишем уже год, ответа ноль",
        "expected_topic": "communications",
        "urgent": False,
    },
    {
        "key": "highway-vichuga",
        "channel": "vk_comment",
        "page": VK_REGION,
        "text": "трасса Иваново-Кинешма в районе Вичуги сплошные ямы, дорога разбита в хлам. "
        "когда ремонт???",
        "expected_topic": "roads.repair",
        "urgent": False,
    },
    {
        "key": "heating-komsomolskaya",
        "channel": "vk_message",
        "page": VK_KINESHMA,
        "text": "добрый день! ул. Комсомольская 21, холодно в квартире, +15, батареи еле "
        "теплые, ребенок болеет. Звонили в УК - говорят ждите. сколько ждать?",
        "expected_topic": "housing.heating",
        "urgent": False,
    },
    {
        "key": "ice-frunze",
        "channel": "vk_comment",
        "page": VK_KINESHMA,
        "text": "тротуары на Фрунзе не посыпают, гололед страшный, наледь никто не убирает. "
        "соседка вчера упала и сломала руку. Администрация вы где???",
        "expected_topic": "improvement.snow",
        "urgent": False,
    },
    {
        "key": "sewage-gromoboya",
        "channel": "site",
        "page": SITE,
        "text": "Канализация в подвале дома по ул. Громобоя 15 течёт уже месяц, вонь по всему "
        "дому, вода стоит под окнами. Просим принять меры.",
        "expected_topic": "housing.water",
        "urgent": False,
    },
    {
        "key": "many-issues-karavaikovoy",
        "channel": "vk_comment",
        "page": VK_IVANOVO,
        "text": "1) ямы во дворе не засыпают 2) фонарь у 3 подъезда не горит 3) мусор по "
        "неделе не вывозят. Каравайковой 130. Управляющая компания молчит, сколько можно",
        "expected_topic": "housing.management",
        "urgent": False,
    },
    {
        "key": "emissions-suvorova",
        "channel": "callcentre",
        "page": CALLCENTRE,
        "text": "Звонок 122: жители Рабочего посёлка (г. Иваново) жалуются, что по ночам "
        "с предприятия на ул. Суворова выбросы, запах гари, окна открыть невозможно.",
        "expected_topic": "ecology",
        "urgent": False,
    },
    {
        "key": "ambulance-late",
        "channel": "vk_comment",
        "page": VK_REGION,
        "text": "вызывали к маме скорую, давление 220, скорая не приезжала 2 часа!!! "
        "диспетчер говорит машин нет. Кинешма, это нормально вообще??",
        "expected_topic": "health.care",
        "urgent": True,
    },
    {
        "key": "bus-zavolzhsk",
        "channel": "vk_message",
        "page": VK_KINESHMA,
        "text": "почему отменили автобус до Заволжска? раньше ходил 4 раза в день, теперь 1. "
        "на работу добраться никак 😢",
        "expected_topic": "transport.public",
        "urgent": False,
    },
    {
        "key": "kindergarten-roof",
        "channel": "vk_comment",
        "page": VK_KINESHMA,
        "text": "в садике №15 (детский сад на Ленина) уже месяц течёт крыша прямо в группе, "
        "воспитатели тазики ставят. заведующая разводит руками",
        "expected_topic": "education.kindergartens",
        "urgent": False,
    },
    {
        "key": "veteran-compensation",
        "channel": "site",
        "page": SITE,
        "text": "Добрый день. Я ветеран труда, с января не приходит компенсация за ЖКУ (льгота). "
        "В МФЦ отправляют в соцзащиту, в соцзащите в МФЦ. Куда обращаться?",
        "expected_topic": "social.support",
        "urgent": False,
    },
    {
        "key": "power-ostrovskogo",
        "channel": "vk_comment",
        "page": VK_KINESHMA,
        "text": "на Островского третий час без света, весь квартал. холодильники текут, "
        "когда включат??",
        "expected_topic": "housing.electricity",
        "urgent": False,
    },
]


@dataclass(frozen=True)
class Outgoing:
    """One HTTP request to ingest and the appeal id it will produce."""

    path: str
    body: dict[str, Any]
    appeal_id: uuid.UUID
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoPages:
    """The demo region's pages, and the demo API key of each generic-API source."""

    registry: PageRegistry
    api_keys: dict[str, str]


def load_pages() -> DemoPages:
    """The seed the local stack imports into ingest: VK secrets, page ids and the demo API keys
    stay in one place (config/pages.yaml)."""
    path = Path(os.environ.get("PAGE_REGISTRY_FILE", "config/pages.yaml"))
    seed = load_seed(path if path.is_absolute() else ROOT / path)
    return DemoPages(seed.registry(), {page: keys[0] for page, keys in seed.demo_keys.items()})


def build_request(item: DemoAppeal, seq: int, run: int, pages: DemoPages) -> Outgoing:
    """The request `item`'s channel sends, written now; `run` and `seq` make its ids unique."""
    platform = Platform.API if item["channel"] in ("site", "callcentre") else Platform.VK
    registry = pages.registry
    page = (
        registry.get(item["page"])
        if platform is Platform.API
        else registry.find(platform, item["page"])
    )
    if page is None:
        raise ValueError(f"page {item['page']!r} is not in the page registry")
    if platform is Platform.API:
        key = pages.api_keys.get(page.id)
        if key is None:
            raise ValueError(f"source {page.id!r} has no demo API key in the page registry")
        return _generic(item, page, f"demo-{run}-{seq}", key)
    return _vk(item, page, object_id=run * 1_000_000 + seq, user=1_000_000 + seq * 7919 % 900_000)


def _generic(item: DemoAppeal, page: Page, external_id: str, api_key: str) -> Outgoing:
    body = {
        "page_id": page.id,
        "external_id": external_id,
        "kind": "private_message",
        "author_id": f"resident-{external_id}",
        "text": item["text"],
        "written_at": datetime.now(UTC).isoformat(),
    }
    kind = AppealKind.PRIVATE_MESSAGE
    return Outgoing(
        "/v1/appeals",
        body,
        appeal_id(Platform.API, page.external_id, kind, external_id),
        {"Authorization": f"Bearer {api_key}"},
    )


def _vk(item: DemoAppeal, page: Page, *, object_id: int, user: int) -> Outgoing:
    """A VK Callback API event; the object key mirrors ingest/domain/vk.py."""
    group, date, text = int(page.external_id), int(time.time()), item["text"]
    body: dict[str, Any] = {"event_id": uuid.uuid4().hex, "v": "5.199", "group_id": group}
    body["secret"] = page.secret
    if item["channel"] == "vk_comment":
        body["type"] = "wall_reply_new"
        body["object"] = {"id": object_id, "from_id": user, "post_id": 3, "owner_id": -group}
        body["object"] |= {"post_owner_id": -group, "date": date, "text": text}
        kind, key = AppealKind.COMMENT, f"wall{-group}_3/{object_id}"
    else:
        message: dict[str, Any] = {"id": 0, "date": date, "from_id": user, "peer_id": user}
        message["out"] = 0
        message |= {"text": text, "conversation_message_id": object_id}
        body |= {"type": "message_new", "object": {"message": message, "client_info": {}}}
        kind, key = AppealKind.PRIVATE_MESSAGE, f"msg{user}/{object_id}"
    return Outgoing("/callbacks/vk", body, appeal_id(Platform.VK, page.external_id, kind, key))
