"""OK's REST API (`fb.do`): a group's recent topics and the comments under each, signed with
the page's application key, access token and session secret."""

from dataclasses import dataclass

import httpx

from ingest.adapters.host_throttle import HostThrottle
from ingest.adapters.poll_errors import PollFailed
from ingest.adapters.polled_api import get_json
from ingest.domain.pages import Page
from ingest.domain.polling import ok_api
from ingest.domain.polling.answers import ApiAnswerError
from ingest.domain.polling.fetched import Fetched

COMMENTS_PER_TOPIC = 100  # the newest ones; more between two polls is beyond a busy post's rate


@dataclass
class OkRestClient:
    http: httpx.AsyncClient
    url: str
    throttle: HostThrottle

    async def fetch(self, page: Page, posts: int) -> Fetched:
        """The group's `posts` newest topics and the newest comments under each."""
        try:
            topics = ok_api.posts(
                await self._call(page, "mediatopic.getTopics", gid=page.external_id, count=posts),
                page.external_id,
            )
            comments = [
                comment
                for topic in topics
                for comment in ok_api.comments(
                    await self._comments(page, topic.id), topic.id, page.external_id
                )
            ]
        except ApiAnswerError as exc:
            raise PollFailed(f"OK answer: {exc}") from None
        return Fetched(topics, tuple(comments))

    async def _comments(self, page: Page, topic_id: str) -> object:
        return await self._call(
            page,
            "discussions.getComments",
            discussionId=topic_id,
            discussionType="GROUP_TOPIC",
            anchor="LAST",
            direction="BACKWARD",
            count=COMMENTS_PER_TOPIC,
        )

    async def _call(self, page: Page, method: str, **params: str | int) -> object:
        if not page.polled or page.ok_access_token is None or page.ok_session_secret is None:
            raise PollFailed(f"page {page.id} has no OK polling credentials")
        form = ok_api.signed_form(
            method,
            {name: str(value) for name, value in params.items()},
            application_key=page.ok_application_key or "",
            access_token=page.ok_access_token,
            session_secret=page.ok_session_secret,
        )
        # A form body, not the query: the access token must not be in a URL that gets logged.
        return await get_json(self.http, self.throttle, self.url, form=form)
