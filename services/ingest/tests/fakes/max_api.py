"""A fake of MAX's Bot API for comments: `GET /messages?chat_id=&count=` (the channel's posts,
newest first) and `GET /messages/{messageId}/comments?count=` (`{messages: [...]}`), with the
bot token in `Authorization` (401 otherwise)."""

from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.server import Faults


@dataclass
class FakeMax:
    token: str
    chat_id: int
    posts: list[dict[str, Any]] = field(default_factory=list)  # newest last
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # oldest first
    faults: Faults = field(default_factory=Faults)

    def add_post(self, mid: str, timestamp: int) -> None:
        self.posts.append(
            self._message(mid, timestamp, None, "Новость", url=f"https://max.ru/p/{mid}")
        )
        self.comments.setdefault(mid, [])

    def add_comment(
        self, post: str, mid: str, timestamp: int, user_id: int | None = 42, **extra: Any
    ) -> None:
        sender = (
            None if user_id is None else {"user_id": user_id, "first_name": "Иван", "is_bot": False}
        )
        self.comments[post].append(self._message(mid, timestamp, sender, "Вопрос", **extra))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/messages", self._posts),
                Route("/messages/{mid}/comments", self._comments),
            ]
        )

    async def _posts(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        if request.query_params.get("chat_id") != str(self.chat_id):
            return JSONResponse({"code": "not.found", "message": "Chat not found"}, 404)
        count = int(request.query_params.get("count", 50))
        return JSONResponse({"messages": list(reversed(self.posts))[:count]})

    async def _comments(self, request: Request) -> Response:
        if (refused := self._refused(request)) is not None:
            return refused
        found = self.comments.get(request.path_params["mid"])
        if found is None:
            return JSONResponse({"code": "not.found", "message": "Message not found"}, 404)
        return JSONResponse({"messages": found[-int(request.query_params.get("count", 50)) :]})

    def _refused(self, request: Request) -> Response | None:
        if (failure := self.faults.next()) is not None:
            return failure
        if request.headers.get("Authorization") != self.token:
            return JSONResponse({"code": "verify.token", "message": "Invalid access_token"}, 401)
        return None

    def _message(
        self, mid: str, timestamp: int, sender: dict[str, Any] | None, text: str, **extra: Any
    ) -> dict[str, Any]:
        return {
            "sender": sender,
            "recipient": {"chat_id": self.chat_id, "chat_type": "channel"},
            "timestamp": timestamp,
            "body": {"mid": mid, "seq": 1, "text": text},
            **extra,
        }
