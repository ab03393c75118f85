"""The notifier port and its one error."""

from typing import Protocol

from sla_monitor.notify.notices import Contact, Notice


class NotificationFailed(Exception):
    """A notice did not go out. `transient`: worth retrying later (the server was unreachable,
    busy or rate-limited); otherwise retrying the same notice will fail the same way (a bad
    address, an unknown chat, a rejected token). `retry_after`: seconds, when the server said."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class Notifier(Protocol):
    async def send(self, notice: Notice) -> None:
        """Deliver the notice, or raise NotificationFailed."""


class Channel(Notifier, Protocol):
    """A notifier that reaches some contacts only (those with an e-mail, with a chat)."""

    def reaches(self, contact: Contact) -> bool:
        """Whether `send` would deliver to this contact rather than skip it."""
