"""OK and MAX API answers read into what a poll fetched; OK's signature; the back-off."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from ingest.domain.polling import max_api, ok_api
from ingest.domain.polling.answers import ApiAnswerError
from ingest.domain.polling.schedule import MAX_BACKOFF, after_failure, backoff

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_ok_signature_sorts_parameters_and_leaves_out_the_token() -> None:
    params = {"method": "x.y", "application_key": "APP", "format": "json", "access_token": "T"}
    expected = hashlib.md5(b"application_key=APPformat=jsonmethod=x.ySECRET")

    assert ok_api.signature(params, "SECRET") == expected.hexdigest()


def test_ok_topics_and_comments() -> None:
    topics = {"media_topics": [{"id": "77", "created_ms": 1_790_000_000_000}]}
    answer = {
        "comments": [
            {
                "id": "c1",
                "author_id": "9001",
                "text": "Где автобус?",
                "date": "2026-11-01 15:00:00",
            },
            {
                "id": "c2",
                "author_id": "5001",
                "author_type": "GROUP",
                "text": "Уже едет",
                "date_ms": 1_790_000_100_000,
                "reply_to_comment_id": "c1",
            },
        ]
    }

    [post] = ok_api.posts(topics, "5001")
    first, reply = ok_api.comments(answer, "77", "5001")

    assert post.permalink == "https://ok.ru/group/5001/topic/77"
    assert first.written_at == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # Moscow is UTC+3
    assert not first.by_page
    assert reply.by_page and reply.reply_to == "c1"


def test_ok_error_answers_and_bad_answers_are_refused() -> None:
    with pytest.raises(ApiAnswerError, match="OK error 104"):
        ok_api.posts({"error_code": 104, "error_msg": "PARAM_SIGNATURE"}, "5001")
    with pytest.raises(ApiAnswerError, match="date"):
        ok_api.comments({"comments": [{"id": "c", "author_id": "1", "date": "?"}]}, "77", "5")
    with pytest.raises(ApiAnswerError):
        ok_api.posts({"media_topics": [{"id": "77", "created_ms": 1.5}]}, "5001")


def max_comment(mid: str, sender: dict[str, object] | None, **extra: object) -> dict[str, object]:
    return {
        "sender": sender,
        "timestamp": 1_790_000_000_000,
        "body": {"mid": mid, "seq": 1, "text": "Когда уберут снег?"},
        "recipient": {"chat_id": -70, "chat_type": "channel"},
        **extra,
    }


def test_max_posts_and_comments_with_the_channels_and_bots_replies() -> None:
    resident = {"user_id": 42, "first_name": "Иван", "is_bot": False}
    page_bot = {"user_id": 7000, "first_name": "Бот", "is_bot": True}
    other_bot = {"user_id": 8000, "first_name": "Спам", "is_bot": True}
    reply = {"link": {"type": "reply", "mid": "mid.c1"}}
    answer = {
        "messages": [
            max_comment("mid.c1", resident, url="https://max.ru/c/1"),
            max_comment("mid.c2", None, **reply),
            max_comment("mid.c3", page_bot, **reply),
            max_comment("mid.c4", other_bot),
        ]
    }
    posts = {"messages": [max_comment("mid.p1", None, url="https://max.ru/p/1")]}

    [post] = max_api.posts(posts)
    first, by_channel, by_bot = max_api.comments(answer, "mid.p1", "7000")

    assert (post.id, post.permalink) == ("mid.p1", "https://max.ru/p/1")
    assert (first.author_id, first.by_page, first.permalink) == ("42", False, "https://max.ru/c/1")
    assert by_channel.by_page and by_channel.reply_to == "mid.c1"
    assert by_bot.by_page and by_bot.reply_to == "mid.c1"


def test_backoff_doubles_and_is_capped_and_retry_after_wins() -> None:
    assert [backoff(n, MINUTE) for n in (1, 2, 3)] == [MINUTE, 2 * MINUTE, 4 * MINUTE]
    assert backoff(50, MINUTE) == MAX_BACKOFF
    assert after_failure(NOW, MINUTE, 1, retry_after=10 * MINUTE) == NOW + 10 * MINUTE
    assert after_failure(NOW, MINUTE, 3, retry_after=MINUTE) == NOW + 4 * MINUTE
