"""The page registry: which official page on which platform belongs to which body."""

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from appeals_common.events import Platform
from ingest.domain.api_keys import ApiKey, key_digest

# What a page cannot work without, by platform: VK pages may run without a secret (a community
# that has none set), API sources authenticate with API keys kept apart from the page.
REQUIRED_CREDENTIALS: Mapping[Platform, tuple[str, ...]] = {
    Platform.TELEGRAM: ("secret", "bot_id", "discussion_id"),
    Platform.MAX: ("secret", "bot_id"),
    Platform.OK: ("url_token",),
}


# Polling credentials: all of a platform's or none (a page without them is not polled).
POLLING_CREDENTIALS: Mapping[Platform, tuple[str, ...]] = {
    Platform.OK: ("ok_application_key", "ok_access_token", "ok_session_secret"),
    Platform.MAX: ("max_bot_token",),
}


def missing_credentials(platform: Platform, values: Mapping[str, object]) -> list[str]:
    """The credentials `platform` requires that `values` lacks (None or absent)."""
    return [name for name in REQUIRED_CREDENTIALS.get(platform, ()) if values.get(name) is None]


def polling_problem(platform: Platform, values: Mapping[str, object]) -> str | None:
    """Why these polling credentials do not fit the platform, or None when they do."""
    own = POLLING_CREDENTIALS.get(platform, ())
    others = [n for p in POLLING_CREDENTIALS.values() for n in p if n not in own]
    if any(values.get(name) is not None for name in others):
        return f"a {platform} page has no {' or '.join(others)}"
    given = [name for name in own if values.get(name) is not None]
    if given and len(given) != len(own):
        return f"polling needs all of {', '.join(own)} or none"
    return None


@dataclass(frozen=True)
class Page:
    """An official page (госпаблик) of a body, with its platform credentials.

    `external_id` is the VK community id, the Telegram channel id, the MAX channel id, the OK
    group id or the API source id. Credentials stay out of `repr`, hence out of logs.
    """

    id: str
    platform: Platform
    external_id: str
    body_id: str
    name: str
    secret: str | None = field(default=None, repr=False)
    confirmation: str | None = field(default=None, repr=False)
    bot_id: str | None = None  # Telegram/MAX: the page's bot, whose messages are the page's
    discussion_id: str | None = None  # Telegram: the channel's linked discussion group
    url_token: str | None = field(default=None, repr=False)  # OK: the secret part of our URL
    territory: str | None = None  # the body's territory: an OKTMO code or a name
    timezone: str | None = None  # IANA name: the body's local time (deadlines, working hours)
    # Polling comments under posts (no webhook has them): OK's REST API signs each request with
    # the application key, the access token and the session secret; MAX takes the bot token.
    ok_application_key: str | None = field(default=None, repr=False)
    ok_access_token: str | None = field(default=None, repr=False)
    ok_session_secret: str | None = field(default=None, repr=False)
    max_bot_token: str | None = field(default=None, repr=False)
    # Answering (docs/delivery.md): VK posts with a community token, Telegram with the bot's;
    # MAX and OK answer with their polling credentials above.
    vk_access_token: str | None = field(default=None, repr=False)
    telegram_bot_token: str | None = field(default=None, repr=False)

    @property
    def polled(self) -> bool:
        """Whether the poller fetches comments under this page's posts."""
        needed = POLLING_CREDENTIALS.get(self.platform, ())
        return bool(needed) and all(getattr(self, name) is not None for name in needed)

    def secret_matches(self, presented: str | None) -> bool:
        """Constant-time check of the shared secret; a page without one accepts none."""
        if self.secret is None:
            return presented is None
        return presented is not None and _same(self.secret, presented)

    def url_token_matches(self, presented: str) -> bool:
        """Constant-time check of the token in the callback URL."""
        return self.url_token is not None and _same(self.url_token, presented)


def _same(expected: str, presented: str) -> bool:
    # Bytes: compare_digest refuses non-ASCII str, and the value arrives from outside.
    return hmac.compare_digest(expected.encode(), presented.encode(errors="replace"))


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode(errors="replace")).hexdigest()


class PageRegistry:
    """Looks pages up by platform and platform id, by registry id, by URL token or API key.

    An immutable snapshot: a refresh builds a new registry and swaps it in whole.
    """

    def __init__(self, pages: Iterable[Page], api_keys: Iterable[ApiKey] = ()) -> None:
        pages = list(pages)
        self._by_external = {(p.platform, p.external_id): p for p in pages}
        self._by_id = {p.id: p for p in pages}
        # Keyed by digest: a dict probe on the token itself could leak it through timing.
        self._by_token = {_token_digest(p.url_token): p for p in pages if p.url_token}
        self._by_key = {
            k.digest: self._by_id[k.page_id] for k in api_keys if k.page_id in self._by_id
        }

    def find(self, platform: Platform, external_id: str) -> Page | None:
        return self._by_external.get((platform, external_id))

    def get(self, page_id: str) -> Page | None:
        return self._by_id.get(page_id)

    def find_by_url_token(self, platform: Platform, token: str) -> Page | None:
        page = self._by_token.get(_token_digest(token))
        if page is None or page.platform != platform or not page.url_token_matches(token):
            return None
        return page

    def source_of(self, api_key: str) -> Page | None:
        """The API source (a page of platform `api`) that `api_key` belongs to, if any."""
        page = self._by_key.get(key_digest(api_key))
        return page if page is not None and page.platform == Platform.API else None

    def __iter__(self) -> Iterator[Page]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)
