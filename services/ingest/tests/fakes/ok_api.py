"""A fake of OK's REST API (`fb.do`), as apiok.ru documents it: `method=`, `application_key`,
`access_token`, `format=json` and the `sig` checked (md5 of the other parameters sorted as
`name=value`, then the session secret); errors as HTTP 200 with `error_code`. It serves a
group's topics (`mediatopic.getTopics`) and their comments (`discussions.getComments`)."""

import hashlib
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fakes.server import Faults


@dataclass
class FakeOk:
    application_key: str
    access_token: str
    session_secret: str
    group_id: str
    topics: list[dict[str, Any]] = field(default_factory=list)  # newest last
    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # oldest first
    faults: Faults = field(default_factory=Faults)

    def add_topic(self, topic_id: str, created_ms: int) -> None:
        self.topics.append({"id": topic_id, "created_ms": created_ms, "author_ref": "group:1"})
        self.comments.setdefault(topic_id, [])

    def add_comment(self, topic_id: str, comment_id: str, date_ms: int, **fields: Any) -> None:
        comment = {"id": comment_id, "author_id": "9001", "text": "Вопрос", "date_ms": date_ms}
        self.comments[topic_id].append({**comment, **fields})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/fb.do", self._call, methods=["GET", "POST"])])

    async def _call(self, request: Request) -> Response:
        if (failure := self.faults.next()) is not None:
            return failure
        # Query and form alike, as fb.do takes both; the form parsed here (no multipart needed).
        form = dict(urllib.parse.parse_qsl((await request.body()).decode()))
        params = dict(request.query_params) | form
        error = self._refusal(params)
        if error:
            return JSONResponse({"error_code": error[0], "error_msg": error[1], "error_data": None})
        if params["method"] == "mediatopic.getTopics":
            newest = list(reversed(self.topics))[: int(params.get("count", 10))]
            return JSONResponse({"media_topics": newest, "has_more": False})
        if params["method"] == "discussions.getComments":
            found = self.comments.get(str(params["discussionId"]), [])
            return JSONResponse({"comments": found[-int(params.get("count", 10)) :]})
        return JSONResponse({"error_code": 3, "error_msg": "METHOD : unknown", "error_data": None})

    def _refusal(self, params: dict[str, str]) -> tuple[int, str] | None:
        if params.get("application_key") != self.application_key:
            return 101, "PARAM_API_KEY : unknown application"
        if params.get("access_token") != self.access_token:
            return 102, "PARAM_SESSION_EXPIRED : session expired"
        if params.get("format") != "json":
            return 100, "PARAM : format=json expected by this fake"
        signed = "".join(
            f"{k}={params[k]}" for k in sorted(params) if k not in ("sig", "access_token")
        )
        if hashlib.md5((signed + self.session_secret).encode()).hexdigest() != params.get("sig"):
            return 104, "PARAM_SIGNATURE : Invalid signature"
        if params.get("method") == "mediatopic.getTopics" and params.get("gid") != self.group_id:
            return 160, "PARAM_GROUP_ID : unknown group"
        return None
