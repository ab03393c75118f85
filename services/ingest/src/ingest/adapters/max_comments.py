"""MAX's Bot API: a channel's recent posts (`GET /messages`) and the comments under each
(`GET /messages/{messageId}/comments`), with the page's bot token in `Authorization`."""

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from ingest.adapters.host_throttle import HostThrottle
from ingest.adapters.poll_errors import PollFailed
from ingest.adapters.polled_api import get_json
from ingest.domain.pages import Page
from ingest.domain.polling import max_api
from ingest.domain.polling.answers import ApiAnswerError
from ingest.domain.polling.fetched import Fetched

COMMENTS_PER_POST = 100


@dataclass
class MaxCommentsClient:
    http: httpx.AsyncClient
    base_url: str
    throttle: HostThrottle

    async def fetch(self, page: Page, posts: int) -> Fetched:
        """The channel's `posts` newest posts and the newest comments under each."""
        if page.max_bot_token is None:
            raise PollFailed(f"page {page.id} has no MAX bot token")
        headers = {"Authorization": page.max_bot_token}
        try:
            recent = max_api.posts(
                await self._get("/messages", headers, chat_id=page.external_id, count=posts)
            )
            comments = [
                comment
                for post in recent
                for comment in max_api.comments(
                    await self._get(
                        f"/messages/{quote(post.id, safe='')}/comments",
                        headers,
                        count=COMMENTS_PER_POST,
                    ),
                    post.id,
                    page.bot_id,
                )
            ]
        except ApiAnswerError as exc:
            raise PollFailed(f"MAX answer: {exc}") from None
        return Fetched(recent, tuple(comments))

    async def _get(self, path: str, headers: dict[str, str], **params: str | int) -> object:
        url = self.base_url.rstrip("/") + path
        return await get_json(self.http, self.throttle, url, params=params, headers=headers)
