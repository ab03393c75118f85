"""Demo for an operator: send the demo batch through the running stack and show the queues.

    uv run python -m tools.demo [--timeout 60] [--ingest-url URL] [--router-url URL] ...

Posts `tools/demo_appeals.py` (VK callbacks and the generic API, written "now"), waits with a
bounded poll until every appeal is routed and its SLA clock runs, prints each agency's queue
in Russian, then answers two appeals and shows their SLA state turn to answered_in_time and
where each answer went (a reply on the platform, through the fake platforms locally).
Texts the classifier does not take for appeals (thanks) are never routed: they are not waited
for but shown with the classifier's reason. Exit code 0 when everything arrived, 1 when
something did not arrive in time, 2 when a service does not answer at all.
"""

import argparse
import asyncio
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as `python tools/demo.py`: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifier.domain.rubricator import BY_ID as TOPICS
from tools.demo_appeals import DEMO_APPEALS, DemoAppeal, build_request, load_pages
from tools.demo_deliveries import deliveries, describe
from tools.login import LoginFailed, login

Json = dict[str, Any]
TRIAGE = "cur-ivanovo"
MSK = timezone(timedelta(hours=3), "МСК")  # Ivanovo and Kineshma; no DST since 2014
PAGES = {
    "220001": "Адм. Иваново",
    "220002": "Правительство обл.",
    "220003": "Адм. Кинешмы",
    "site-ivanovo": "сайт адм. Иваново",
    "callcentre-region": "колл-центр 122",
}
CHANNELS = {"vk_comment": "ВК коммент · ", "vk_message": "ВК сообщ. · "}
SLA_STATES = {
    "open": "в работе",
    "overdue": "ПРОСРОЧЕНО",
    "answered_in_time": "отвечено в срок",
    "answered_late": "отвечено с опозданием",
    "unrouted": "нет срока",
}
ANSWERED = ("answered_in_time", "answered_late")
DEMO_USERS = {  # config/dev-users.yaml
    "cur-operator": "оператор ЦУР: все очереди, сортировка",
    "roads-staff": "сотрудник управления дорожного хозяйства г. Иваново",
    "zhkh-staff": "сотрудник управления ЖКХ г. Иваново",
    "kineshma-staff": "сотрудник администрации Кинешмы",
    "governor": "аппарат губернатора: только просмотр",
    "admin": "администратор справочника",
}
ANSWER = "Здравствуйте! Заявка принята в работу, специалисты выехали по адресу. Спасибо за сигнал."


class DemoFailed(Exception):
    """Something did not arrive in time; the message says what."""


@dataclass(frozen=True)
class Urls:
    ingest: str
    classifier: str
    router: str
    sla: str
    idp: str


@dataclass(frozen=True)
class Sent:
    number: int
    item: DemoAppeal
    appeal_id: uuid.UUID

    @property
    def source(self) -> str:
        page = self.item["page"]
        return CHANNELS.get(self.item["channel"], "") + PAGES.get(page, page)


@dataclass(frozen=True)
class Outcome:
    sent: list[Sent]
    not_appeals: dict[int, str]  # number -> the classifier's reason
    routed: dict[uuid.UUID, Json]  # the router's view of each routed appeal
    clocks: dict[uuid.UUID, Json]  # the SLA monitor's clock of each

    def routed_sent(self) -> list[Sent]:
        return [s for s in self.sent if s.appeal_id in self.routed]


# --- bounded polling ----------------------------------------------------------------------


async def until(deadline: float, step: Callable[[], Awaitable[bool]]) -> bool:
    """Call `step` with a growing pause until it returns True or the deadline passes."""
    pause = 0.1
    while not await step():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        await asyncio.sleep(min(pause, left))
        pause = min(pause * 1.5, 1.0)
    return True


async def fetch_all(client: httpx.AsyncClient, urls: dict[uuid.UUID, str]) -> dict[uuid.UUID, Json]:
    """GET every url at once; the JSON bodies of those that answered 200."""
    answers = await asyncio.gather(*(client.get(u) for u in urls.values()))
    # The router's card holds the appeal under "appeal"; the SLA clock is the object itself.
    bodies = {k: r.json() for k, r in zip(urls, answers, strict=True) if r.status_code == 200}
    return {k: body.get("appeal", body) for k, body in bodies.items()}


async def collect(
    client: httpx.AsyncClient,
    urls: dict[uuid.UUID, str],
    deadline: float,
    done: Callable[[Json], bool] = lambda _: True,
) -> dict[uuid.UUID, Json]:
    """Poll the urls until each answers 200 with a body `done` accepts, or the deadline."""
    found: dict[uuid.UUID, Json] = {}

    async def step() -> bool:
        pending = {k: u for k, u in urls.items() if k not in found}
        found.update({k: v for k, v in (await fetch_all(client, pending)).items() if done(v)})
        return len(found) == len(urls)

    await until(deadline, step)
    return found


# --- the pipeline -------------------------------------------------------------------------


async def preflight(client: httpx.AsyncClient, urls: Urls) -> None:
    """Fail fast, naming the address, when a service is down."""
    for name, base in vars(urls).items():
        if name == "idp":
            continue  # no readiness endpoint; sign_in says clearly when it is down
        try:
            response = await client.get(f"{base}/health/ready")
        except httpx.HTTPError as exc:
            raise ConnectionError(f"{name} не отвечает по адресу {base} ({exc!r})") from exc
        if response.status_code != 200:
            raise ConnectionError(f"{name} ({base}) не готов: {response.text[:300]}")


async def send_batch(client: httpx.AsyncClient, urls: Urls) -> list[Sent]:
    """Post the demo batch in order, as the platforms would deliver it."""
    pages, run, sent = load_pages(), int(time.time()), []
    for number, item in enumerate(DEMO_APPEALS, start=1):
        request = build_request(item, number, run, pages)
        response = await client.post(
            urls.ingest + request.path, json=request.body, headers=request.headers
        )
        if response.status_code not in (200, 202):
            raise DemoFailed(f"ingest отклонил #{number}: {response.status_code} {response.text}")
        sent.append(Sent(number, item, request.appeal_id))
    return sent


async def not_appeals(client: httpx.AsyncClient, urls: Urls, sent: list[Sent]) -> dict[int, str]:
    """The texts the classifier does not take for appeals, with its reason."""
    url = f"{urls.classifier}/v1/classify"
    answers = await asyncio.gather(*(client.post(url, json={"text": s.item["text"]}) for s in sent))
    verdicts = {s.number: r.raise_for_status().json() for s, r in zip(sent, answers, strict=True)}
    return {n: v["reason"] for n, v in verdicts.items() if not v["is_appeal"]}


async def follow(client: httpx.AsyncClient, urls: Urls, timeout: float) -> Outcome:
    """Send the batch and wait, within `timeout`, until it is routed and its clocks run."""
    sent = await send_batch(client, urls)
    started = time.monotonic()
    vk = sum(s.item["channel"].startswith("vk") for s in sent)
    print(f"Отправлено {len(sent)} обращений в ingest {urls.ingest}: {vk} через VK Callback API,")
    print(f"{len(sent) - vk} через общий API (сайт, колл-центр). Ждём не дольше {timeout:g} с.")
    skip = await not_appeals(client, urls, sent)
    router = {s.appeal_id: f"{urls.router}/v1/appeals/{s.appeal_id}" for s in sent}
    wanted = {s.appeal_id: router[s.appeal_id] for s in sent if s.number not in skip}
    routed = await collect(client, wanted, started + timeout)
    # Not waited for; but if the pipeline routed one after all, it belongs in the queues.
    routed |= await fetch_all(client, {k: u for k, u in router.items() if k not in wanted})
    sla = {k: f"{urls.sla}/v1/sla/appeals/{k}" for k in routed}
    clocks = await collect(client, sla, started + timeout)
    waited = time.monotonic() - started
    print(f"За {waited:.1f} с маршрутизировано {len(routed)}, SLA-часы идут у {len(clocks)}.")
    return Outcome(sent, skip, routed, clocks)


# --- the report ---------------------------------------------------------------------------


def fmt_time(value: str | None) -> str:
    return datetime.fromisoformat(value).astimezone(MSK).strftime("%H:%M МСК") if value else "—"


def sla_label(clock: Json | None) -> str:
    if clock is None:
        return "часы не запущены"
    state: str = clock["state"]
    label = SLA_STATES.get(state, state)
    return f"{label} до {fmt_time(clock['deadline'])}" if state == "open" else label


def short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def table(headers: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; the last one (free text) is not."""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers) - 1)]
    for row in [headers, *rows]:
        cells = (c.ljust(w) for c, w in zip(row, widths, strict=False))
        print("  " + "  ".join([*cells, row[-1]]))


async def print_queues(client: httpx.AsyncClient, urls: Urls, out: Outcome) -> None:
    """One table per agency queue: the demo's appeals in it, urgent first, with SLA state."""
    queues: dict[str, list[Sent]] = {}
    for s in out.routed_sent():
        queues.setdefault(out.routed[s.appeal_id]["agency_id"], []).append(s)
    for agency_id, items in sorted(queues.items(), key=lambda q: (q[0] == TRIAGE, -len(q[1]))):
        queue = (await client.get(f"{urls.router}/v1/queues/{agency_id}?limit=1")).json()
        print(f"\n══ {queue['agency']['name']} ({agency_id})")
        print(f"   из демо: {len(items)}; открытых в очереди всего: {queue['total']}")
        items.sort(key=lambda s: (not out.routed[s.appeal_id]["urgent"], s.number))
        rows = [_row(s, out.routed[s.appeal_id], out.clocks.get(s.appeal_id)) for s in items]
        table(["№", "срочно", "тема", "откуда", "SLA", "текст"], rows)
        for s in items if agency_id == TRIAGE else []:
            print(f"   #{s.number} на сортировку ЦУР: {out.routed[s.appeal_id]['reason']}")


def _row(s: Sent, appeal: Json, clock: Json | None) -> list[str]:
    urgent = "СРОЧНО" if appeal["urgent"] else ""
    text = short(s.item["text"])
    return [f"#{s.number}", urgent, appeal["topic_name"], s.source, sla_label(clock), text]


def print_not_appeals(out: Outcome) -> None:
    print("\n══ Не обращения (в очереди не попадают)")
    for s in out.sent:
        if s.number in out.not_appeals and s.appeal_id not in out.routed:
            text, reason = short(s.item["text"], 50), out.not_appeals[s.number]
            print(f"  #{s.number} {s.source}: «{text}» — классификатор: {reason}")


def print_label_check(out: Outcome) -> None:
    """Compare the pipeline's decisions with the hand labels (what arrived; the rest fails)."""
    decided = [s for s in out.sent if s.appeal_id in out.routed or s.number in out.not_appeals]
    misses = []
    for s in decided:
        got = out.routed.get(s.appeal_id)
        topic, urgent = (got["topic"], got["urgent"]) if got else ("not_appeal", False)
        if (topic, urgent) != (s.item["expected_topic"], s.item["urgent"]):
            want = TOPICS[s.item["expected_topic"]].name + (", срочно" if s.item["urgent"] else "")
            misses.append(f"  #{s.number}: по разметке «{want}», получено {topic} срочно={urgent}")
    print(f"\nСверка с ручной разметкой: совпало {len(decided) - len(misses)} из {len(decided)}.")
    for line in misses:
        print(line)


def verify(out: Outcome, timeout: float) -> None:
    """Raise DemoFailed naming what was not routed or has no SLA clock."""
    lost = [
        s for s in out.sent if s.number not in out.not_appeals and s.appeal_id not in out.routed
    ]
    if lost:
        numbers = ", ".join(f"#{s.number}" for s in lost)
        raise DemoFailed(f"не маршрутизированы за {timeout:.0f} с: {numbers}")
    no_clock = [f"#{s.number}" for s in out.routed_sent() if s.appeal_id not in out.clocks]
    if no_clock:
        raise DemoFailed(f"SLA-часы не запущены за {timeout:.0f} с: {', '.join(no_clock)}")


async def answer_two(client: httpx.AsyncClient, urls: Urls, out: Outcome, deadline: float) -> None:
    """Answer the first urgent and the first ordinary appeal; wait for their SLA clocks to stop."""
    placed = [s for s in out.routed_sent() if out.routed[s.appeal_id]["agency_id"] != TRIAGE]
    urgent = [s for s in placed if out.routed[s.appeal_id]["urgent"]]
    chosen = [*urgent[:1], *[s for s in placed if s not in urgent][:1]]
    for s in chosen:
        base = f"{urls.router}/v1/appeals/{s.appeal_id}"
        card = await client.get(base)
        headers = {"If-Match": card.headers.get("ETag", ""), "Idempotency-Key": f"demo-{s.number}"}
        response = await client.post(f"{base}/answer", json={"text": ANSWER}, headers=headers)
        if response.status_code != 201:
            raise DemoFailed(f"ответ на #{s.number} не принят: {response.status_code}")
    sla = {s.appeal_id: f"{urls.sla}/v1/sla/appeals/{s.appeal_id}" for s in chosen}
    after = await collect(client, sla, deadline, done=lambda c: c["state"] in ANSWERED)
    print("\n══ Ответы через рабочую очередь ведомства")
    for s in chosen:
        new, appeal = after.get(s.appeal_id), out.routed[s.appeal_id]
        change = f"«{sla_label(out.clocks[s.appeal_id])}» → «{sla_label(new)}»"
        at = f", ответ в {fmt_time(new['answered_at'])}" if new else ""
        print(f"  #{s.number} {appeal['topic_name']} ({appeal['agency_id']}): {change}{at}")
        went = await deliveries(client, urls.router, s.appeal_id, deadline)
        print(f"     ответ жителю: {describe(went)}")
    late = [f"#{s.number}" for s in chosen if s.appeal_id not in after]
    if late:
        raise DemoFailed(f"SLA-монитор не увидел ответа на {', '.join(late)} вовремя")


async def sign_in(client: httpx.AsyncClient, urls: Urls) -> dict[str, str]:
    """Every demo user's token, through the IdP's own login form; the operator's goes on
    the client, since the queues answer nobody without a token."""
    try:
        tokens = {user: await login(client, urls.idp, user, "demo") for user in DEMO_USERS}
    except (LoginFailed, httpx.HTTPError) as exc:
        raise ConnectionError(f"вход через {urls.idp} не удался: {exc}") from exc
    client.headers["Authorization"] = f"Bearer {tokens['cur-operator']}"
    return tokens


def print_logins(urls: Urls, tokens: dict[str, str]) -> None:
    print(f"\n══ Консоль операторов: {urls.router}/console/ (вход через {urls.idp}, пароль demo)")
    for user, role in DEMO_USERS.items():
        print(f"  {user:<15} {role}")
    print("  Токены для API (Authorization: Bearer …), действуют час:")
    for user, token in tokens.items():
        print(f"  {user}: {token}")


async def run(urls: Urls, timeout: float) -> None:
    """The whole demo; DemoFailed when something did not arrive within `timeout`."""
    async with httpx.AsyncClient(timeout=10.0) as client:
        await preflight(client, urls)
        tokens = await sign_in(client, urls)
        deadline = time.monotonic() + timeout
        out = await follow(client, urls, timeout)
        await print_queues(client, urls, out)
        print_not_appeals(out)
        print_label_check(out)
        verify(out, timeout)
        await answer_two(client, urls, out, max(deadline, time.monotonic() + 10))
        print_logins(urls, tokens)


def parse_args() -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--ingest-url", default=env("INGEST_URL", "http://127.0.0.1:8001"))
    parser.add_argument("--classifier-url", default=env("CLASSIFIER_URL", "http://127.0.0.1:8002"))
    parser.add_argument("--router-url", default=env("ROUTER_URL", "http://127.0.0.1:8003"))
    parser.add_argument("--sla-url", default=env("SLA_URL", "http://127.0.0.1:8004"))
    parser.add_argument("--idp-url", default=env("IDP_URL", "http://127.0.0.1:8005"))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait, in all")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    bases = (args.ingest_url, args.classifier_url, args.router_url, args.sla_url, args.idp_url)
    urls = Urls(*(b.rstrip("/") for b in bases))
    try:
        asyncio.run(run(urls, args.timeout))
    except ConnectionError as exc:
        sys.stderr.write(f"demo: {exc}\nСтек запущен? .venv/bin/python deploy/local/stack.py up\n")
        return 2
    except (DemoFailed, httpx.HTTPError) as exc:
        sys.stderr.write(f"\ndemo: НЕ ДОШЛО: {exc}\n")
        return 1
    print("\nГотово: все обращения в очередях, SLA-часы идут, ответы учтены.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
