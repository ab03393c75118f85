"""What the delivery worker needs from the outside: a sender per platform."""

from typing import Protocol

from ingest.domain.delivery.model import Outgoing, Posted
from ingest.domain.pages import Page


class Sender(Protocol):
    """Posts messages on one platform as a page, with the page's token.

    `limit`: the most characters one message may have (longer answers are split before
    `send`). `idempotent`: a repeated call with the same `key` never posts twice (VK's `guid`
    and `random_id`), so a call whose outcome is unknown may simply be repeated.
    """

    @property
    def limit(self) -> int: ...

    @property
    def idempotent(self) -> bool: ...

    async def send(self, page: Page, outgoing: Outgoing, key: str) -> Posted:
        """Post `outgoing.text`; raise SendError when it was not posted (or may have been)."""
        ...
