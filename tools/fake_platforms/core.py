"""What every platform's fake shares: the replies posted, the failures to inject, and a gate
that holds answers back (so a test can kill the caller after the post and before it hears)."""

import asyncio
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class PostedReply:
    """One message a fake posted: where, what, and the id it answered with."""

    platform: str
    method: str  # the API method or endpoint, e.g. wall.createComment, sendMessage
    target: str  # the chat, peer or object it went to, as the platform names it
    reply_to: str | None  # the comment or message it replies to
    text: str
    reply_id: str
    token: str = field(repr=False)
    at: float = field(default_factory=time.time)

    def public(self) -> dict[str, Any]:
        """As the control API shows it: the token only by its last four characters."""
        shown = asdict(self)
        shown["token"] = "…" + self.token[-4:] if self.token else ""
        return shown


@dataclass
class Ledger:
    """One platform's state: what was posted, failures pending, and the hold gate."""

    platform: str
    posted: list[PostedReply] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # fault names, taken one per call
    calls: int = 0
    revoked_tokens: set[str] = field(default_factory=set)
    # Chats, peers or users that blocked the page, and deleted targets: the platform's errors.
    blocked: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    _open: asyncio.Event = field(default_factory=asyncio.Event)
    held: int = 0  # answers waiting at the gate

    def __post_init__(self) -> None:
        self._open.set()

    def next_fault(self) -> str | None:
        """Count a call; the fault it gets, if one is pending."""
        self.calls += 1
        return self.faults.pop(0) if self.faults else None

    def record(self, reply: PostedReply) -> None:
        self.posted.append(reply)

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    async def gate(self) -> None:
        """Wait here, after posting and before answering, while the gate is held."""
        if self._open.is_set():
            return
        self.held += 1
        try:
            await self._open.wait()
        finally:
            self.held -= 1

    def reset(self) -> None:
        self.posted.clear()
        self.faults.clear()
        self.revoked_tokens.clear()
        self.blocked.clear()
        self.deleted.clear()
        self.calls = 0
        self.release()

    def status(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "calls": self.calls,
            "held": self.held,
            "faults": list(self.faults),
            "posted": [p.public() for p in self.posted],
        }
