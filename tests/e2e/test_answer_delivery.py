"""End to end: an answer given in the queue appears where the resident wrote, exactly once,
through the platforms' failures and a delivery worker killed between its call and its record.

The platforms are the fakes of tools/fake_platforms, run by the stack as real HTTP servers.
"""

import asyncio

import pytest

from tests.e2e.delivery_support import World, kill_worker, unique, vk_comment
from tests.infra import E2E_ENV, stack

pytestmark = pytest.mark.e2e


async def test_a_vk_comment_gets_its_answer_as_a_reply_once(world: World) -> None:
    comment, appeal = await world.vk_comment("На Ленина 14 не горит фонарь, темно вечером")
    answer = f"Фонарь заменим до пятницы. ({unique()})"
    await world.answer(appeal, answer)
    delivery = await world.delivery(appeal, "delivered")
    [posted] = await world.posted("vk", answer)
    assert posted["reply_to"] == str(comment) and posted["method"] == "wall.createComment"
    assert delivery["reply_id"] == posted["reply_id"]  # wall-220001_11/<the reply's id>
    reply_comment = int(posted["reply_id"].rsplit("/", 1)[1])
    assert delivery["reply_url"].endswith(f"?reply={reply_comment}")

    # VK shows the community's reply back to us: it is the answer we posted, not a new one.
    reply = vk_comment(reply_comment, answer, from_id=-220001, reply_to_comment=comment)
    await world.vk_callback("wall_reply_new", reply)
    await asyncio.sleep(3)
    card = await world.card(appeal)
    assert [a["channel"] for a in card["answers"]] == ["queue"]


async def test_failures_of_the_platform_are_retried_and_post_once(world: World) -> None:
    await world.fake("vk", "faults", faults=["server_error", "rate_limit"])
    _, appeal = await world.vk_comment("Во дворе дома 3 по Садовой яма, машины бьют колёса")
    answer = f"Яму заделаем на этой неделе. ({unique()})"
    await world.answer(appeal, answer)
    await world.delivery(appeal, "delivered")
    assert len(await world.posted("vk", answer)) == 1


async def test_a_worker_killed_between_the_call_and_the_record_posts_once(
    world: World,
    infra,  # type: ignore[no-untyped-def]
) -> None:
    _, appeal = await world.vk_comment("Остановка на Кольцовской разбита, навес течёт")
    answer = f"Навес отремонтируют до конца месяца. ({unique()})"
    await world.fake("vk", "hold")  # VK posts the reply and keeps the answer to itself
    try:
        await world.answer(appeal, answer)
        await _until_posted(world, "vk", answer)
        kill_worker()
    finally:
        await world.fake("vk", "release")
    _restart_worker(infra)
    await world.delivery(appeal, "delivered")
    assert len(await world.posted("vk", answer)) == 1  # the same guid: VK kept one


async def test_a_telegram_discussion_comment_gets_a_reply_through_429_and_5xx(
    world: World,
) -> None:
    await world.fake("telegram", "faults", faults=["rate_limit", "server_error"])
    message_id, appeal = await world.tg_discussion_comment("Когда починят светофор на Пушкина?")
    answer = f"Светофор настроят завтра. ({unique()})"
    await world.answer(appeal, answer)
    await world.delivery(appeal, "delivered")
    [posted] = await world.posted("telegram", answer)
    assert (posted["target"], posted["reply_to"]) == ("-1002222222222", str(message_id))


async def test_a_telegram_private_message_is_answered_in_the_same_chat(world: World) -> None:
    chat, appeal = await world.tg_private("На Лежневской 120 нет горячей воды уже неделю")
    answer = f"Горячую воду дадут после опрессовки, в среду. ({unique()})"
    await world.answer(appeal, answer)
    await world.delivery(appeal, "delivered")
    [posted] = await world.posted("telegram", answer)
    assert posted["target"] == str(chat)


async def test_telegram_interrupted_after_posting_waits_for_an_operator(
    world: World,
    infra,  # type: ignore[no-untyped-def]
) -> None:
    _, appeal = await world.tg_private("Во дворе не вывезли мусор, контейнеры переполнены")
    answer = f"Мусор вывезут сегодня до 18:00. ({unique()})"
    await world.fake("telegram", "hold")
    try:
        await world.answer(appeal, answer)
        await _until_posted(world, "telegram", answer)
        kill_worker()
    finally:
        await world.fake("telegram", "release")
    _restart_worker(infra)
    failed = await world.delivery(appeal, "failed")
    assert failed["reason"] == "outcome_unknown"
    assert len(await world.posted("telegram", answer)) == 1  # not sent again on its own
    # The operator sees the reply is there and says so.
    url = f"{world.urls['router']}/v1/appeals/{appeal}/deliveries/{failed['delivery_id']}"
    marked = await world.http.post(f"{url}/mark-delivered", json={"comment": "есть в чате"})
    assert marked.status_code == 200 and marked.json()["state"] == "manual"
    assert len(await world.posted("telegram", answer)) == 1


async def _until_posted(world: World, platform: str, text: str) -> None:
    async with asyncio.timeout(45):
        while not await world.posted(platform, text):
            await asyncio.sleep(0.2)


def _restart_worker(infra) -> None:  # type: ignore[no-untyped-def]
    env = {
        **E2E_ENV,
        "KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap_servers,
        "DATABASE_URL": infra.database_url,
        "OIDC_ISSUER": infra.idp_url,
    }
    stack("services-up", env=env)
