"""OK's REST API (`fb.do`) as the poller uses it: the request signature and the answers of
`mediatopic.getTopics` (the group's recent topics) and `discussions.getComments`
(`discussionType=GROUP_TOPIC`), read into what a poll fetched.

Signature (apiok.ru, "Подпись запроса"): md5 of the parameters other than `sig` and
`access_token`, sorted by name and written `name=value` one after another, followed by the
session secret key (`md5(access_token + application_secret_key)`, or the one OK issues with
a group's permanent token), in lower-case hex. Errors come as HTTP 200 with `error_code`.
A comment's `date` is written in Moscow time, `YYYY-MM-DD HH:MM:SS` (no zone: NOT VERIFIED,
seen in open-source clients); `date_ms` is read first when present.
"""

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict, Field

from ingest.domain.ok.objects import OkId
from ingest.domain.polling.answers import ApiAnswerError, parse
from ingest.domain.polling.fetched import FetchedComment, FetchedPost
from ingest.domain.timestamps import UnixMillis

MOSCOW = timezone(timedelta(hours=3))  # no daylight saving since 2014
UNSIGNED = frozenset(("sig", "access_token"))


def signature(params: Mapping[str, str], session_secret: str) -> str:
    """The `sig` of a request with these parameters."""
    signed = "".join(f"{k}={params[k]}" for k in sorted(params) if k not in UNSIGNED)
    return hashlib.md5((signed + session_secret).encode()).hexdigest()  # OK's choice, not ours


def signed_form(
    method: str,
    params: Mapping[str, str],
    *,
    application_key: str,
    access_token: str,
    session_secret: str,
) -> dict[str, str]:
    """A `fb.do` call's form: the method and its parameters, signed, and the access token."""
    form = {"application_key": application_key, "method": method, "format": "json", **params}
    form["sig"] = signature(form, session_secret)
    form["access_token"] = access_token
    return form


class _Object(BaseModel):
    model_config = ConfigDict(extra="allow")


class Topic(_Object):
    id: OkId
    created_ms: UnixMillis


class Comment(_Object):
    id: OkId
    author_id: OkId
    author_type: str | None = Field(default=None, max_length=32)
    text: str | None = Field(default=None, max_length=50_000)
    date: str | None = Field(default=None, max_length=32)
    date_ms: UnixMillis | None = None
    reply_to_comment_id: OkId | None = None


class TopicsAnswer(_Object):
    media_topics: list[Topic] = Field(default=[], max_length=1000)


class CommentsAnswer(_Object):
    comments: list[Comment] = Field(default=[], max_length=1000)


def check_error(body: object) -> None:
    """ApiAnswerError naming OK's error code when the answer is one."""
    if isinstance(body, dict) and "error_code" in body:
        message = str(body.get("error_msg"))[:200]
        raise ApiAnswerError(f"OK error {body.get('error_code')}: {message}")


def posts(body: object, group_id: str) -> tuple[FetchedPost, ...]:
    """The group's topics from a `mediatopic.getTopics` answer."""
    check_error(body)
    answer = parse(TopicsAnswer, body)
    return tuple(
        FetchedPost(t.id, f"https://ok.ru/group/{group_id}/topic/{t.id}", t.created_ms)
        for t in answer.media_topics
    )


def comments(body: object, post_id: str, group_id: str) -> tuple[FetchedComment, ...]:
    """The comments of one topic from a `discussions.getComments` answer."""
    check_error(body)
    answer = parse(CommentsAnswer, body)
    return tuple(_comment(c, post_id, group_id) for c in answer.comments)


def _comment(comment: Comment, post_id: str, group_id: str) -> FetchedComment:
    by_page = comment.author_type == "GROUP" or comment.author_id == group_id
    return FetchedComment(
        id=comment.id,
        post_id=post_id,
        author_id=comment.author_id,
        text=comment.text or "",
        written_at=comment.date_ms or _moscow_time(comment.date),
        by_page=by_page,
        reply_to=comment.reply_to_comment_id,
    )


def _moscow_time(value: str | None) -> datetime:
    try:
        return datetime.strptime(value or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=MOSCOW)
    except ValueError:
        raise ApiAnswerError("comments.date: no date_ms, no YYYY-MM-DD HH:MM:SS date") from None
