"""Deciding what a poll found: each comment once, oldest first, across overlapping fetches;
the page's replies as answers; the cursor that survives a JSON round trip."""

from datetime import UTC, datetime, timedelta

from appeals_common.events import AppealAnswered, AppealKind, AppealReceived, Platform
from ingest.domain import emit
from ingest.domain.pages import Page
from ingest.domain.polling.cursor import Cursor
from ingest.domain.polling.decide import decide
from ingest.domain.polling.fetched import Fetched, FetchedComment, FetchedPost

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
PAGE = Page("ok-test", Platform.OK, "5001", "adm-test", "ОК")
SOURCE = emit.Source(PAGE, Platform.OK, "test-salt-1234", T0 + timedelta(hours=1))
POST = FetchedPost("77", "https://ok.ru/group/5001/topic/77", T0)


def comment(cid: str, minute: int, **changes: object) -> FetchedComment:
    values: dict[str, object] = {
        "id": cid,
        "post_id": "77",
        "author_id": "9001",
        "text": f"Вопрос {cid}",
        "written_at": T0 + timedelta(minutes=minute),
    }
    return FetchedComment(**{**values, **changes})  # type: ignore[arg-type]


def run(comments: list[FetchedComment], cursor: Cursor | None = None, keep: int = 10):  # type: ignore[no-untyped-def]
    fetched = Fetched((POST,), tuple(comments))
    return decide(fetched, cursor or Cursor(), SOURCE, prefix="topic", keep_posts=keep)


def keys(decision) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.payload.external_id for e in decision.emits if isinstance(e.payload, AppealReceived)]


def test_new_comments_become_appeals_oldest_first_with_the_post_as_thread() -> None:
    decision = run([comment("c2", 2), comment("c1", 1)])

    assert keys(decision) == ["topic77/c1", "topic77/c2"]
    first = decision.emits[0].payload
    assert isinstance(first, AppealReceived)
    assert first.kind == AppealKind.COMMENT
    assert first.thread is not None
    assert first.thread.post_id == "topic77"
    assert first.thread.post_permalink == "https://ok.ru/group/5001/topic/77"
    assert first.permalink == "https://ok.ru/group/5001/topic/77"


def test_a_second_poll_publishes_only_what_is_new() -> None:
    first = run([comment("c1", 1), comment("c2", 2)])
    second = run([comment("c1", 1), comment("c2", 2), comment("c3", 3)], first.cursor)

    assert keys(second) == ["topic77/c3"]


def test_comments_in_the_same_millisecond_are_each_published_once() -> None:
    first = run([comment("a", 5)])
    second = run([comment("a", 5), comment("b", 5)], first.cursor)
    third = run([comment("a", 5), comment("b", 5)], second.cursor)

    assert keys(first) == ["topic77/a"]
    assert keys(second) == ["topic77/b"]
    assert keys(third) == []


def test_overlapping_pages_of_one_fetch_publish_a_comment_once() -> None:
    assert keys(run([comment("c1", 1), comment("c1", 1), comment("c2", 2)])) == [
        "topic77/c1",
        "topic77/c2",
    ]


def test_the_same_comment_always_gets_the_same_appeal_and_event_ids() -> None:
    first, again = run([comment("c1", 1)]), run([comment("c1", 1)])

    assert first.emits == again.emits


def test_the_pages_reply_to_a_comment_answers_it_after_it() -> None:
    reply = comment("r1", 1, by_page=True, reply_to="c1", author_id="5001")
    decision = run([reply, comment("c1", 1)])

    assert isinstance(decision.emits[0].payload, AppealReceived)
    answer = decision.emits[1].payload
    assert isinstance(answer, AppealAnswered)
    assert answer.appeal_id == decision.emits[0].payload.appeal_id


def test_the_pages_own_comment_that_answers_nothing_is_ignored_but_seen() -> None:
    decision = run([comment("p1", 1, by_page=True)])

    assert decision.emits == ()
    mark = decision.cursor.mark("77")
    assert mark is not None and "p1" in mark.ids_at_newest


def test_an_empty_comment_is_no_appeal() -> None:
    assert run([comment("c1", 1, text="  ")]).emits == ()


def test_the_cursor_keeps_the_newest_posts_and_survives_json() -> None:
    older = FetchedPost("70", None, T0 - timedelta(days=1))
    fetched = Fetched((older, POST), (comment("c1", 1),))
    decision = decide(fetched, Cursor(), SOURCE, prefix="topic", keep_posts=1)

    assert [m.post_id for m in decision.cursor.marks] == ["77"]
    assert Cursor.from_json(decision.cursor.to_json()) == decision.cursor


def test_an_unreadable_stored_cursor_is_an_empty_one() -> None:
    assert Cursor.from_json(None) == Cursor()
    assert Cursor.from_json({"posts": "nonsense"}) == Cursor()
    assert Cursor.from_json({"posts": [{"post": "1", "newest_ms": "x"}]}) == Cursor()
    assert Cursor.from_json({"posts": [{"post": "1", "ids": "abc"}]}) == Cursor()
