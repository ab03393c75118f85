"""The page registry: which official page on which platform belongs to which body."""

import hmac
from dataclasses import dataclass, field

from appeals_common.events import Platform


@dataclass(frozen=True)
class Page:
    """An official page (госпаблик) of a body, with its platform credentials."""

    id: str
    platform: Platform
    external_id: str  # VK group id, Telegram chat id, API source id, ...
    body_id: str
    name: str
    secret: str | None = field(default=None, repr=False)
    confirmation: str | None = field(default=None, repr=False)

    def secret_matches(self, presented: str | None) -> bool:
        """Constant-time check of the shared secret; a page without one accepts none."""
        if self.secret is None:
            return presented is None
        # Bytes: compare_digest refuses non-ASCII str, and the secret arrives from outside.
        return presented is not None and hmac.compare_digest(
            self.secret.encode(), presented.encode()
        )


class PageRegistry:
    """Looks pages up by platform and platform id, or by registry id."""

    def __init__(self, pages: list[Page]) -> None:
        self._by_external = {(p.platform, p.external_id): p for p in pages}
        self._by_id = {p.id: p for p in pages}

    def find(self, platform: Platform, external_id: str) -> Page | None:
        return self._by_external.get((platform, external_id))

    def get(self, page_id: str) -> Page | None:
        return self._by_id.get(page_id)

    def __len__(self) -> int:
        return len(self._by_id)
