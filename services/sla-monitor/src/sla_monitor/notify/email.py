"""Notices by e-mail over SMTP (aiosmtplib), plain UTF-8 text.

SMTP's own answer decides whether a failure is transient: 4xx replies are temporary by RFC
5321, 5xx are not; an unreachable, silent or disconnecting server is worth another try.
"""

import uuid
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo

import aiosmtplib

from sla_monitor.notify.notices import Contact, Notice, subject, text
from sla_monitor.notify.ports import NotificationFailed


class EmailNotifier:
    """Sends each notice as one e-mail to the contact's address; skips contacts without one."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,  # "sla@region.ru" or "Мониторинг сроков <sla@region.ru>"
        zone: ZoneInfo | None = None,  # the deadline is shown in it; None: the body's zone
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = False,  # TLS from the first byte (port 465)
        start_tls: bool | None = None,  # None: upgrade when the server offers STARTTLS
        timeout: float = 10.0,
    ) -> None:
        self._host, self._port, self._sender, self._zone = host, port, sender, zone
        self._username, self._password = username, password
        self._use_tls, self._start_tls, self._timeout = use_tls, start_tls, timeout

    def reaches(self, contact: Contact) -> bool:
        return bool(contact.email)

    async def send(self, notice: Notice) -> None:
        """Send the notice's e-mail, or raise NotificationFailed; no e-mail, nothing sent."""
        if not self.reaches(notice.to):
            return
        message = self.message(notice)
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                use_tls=self._use_tls,
                start_tls=self._start_tls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPException as exc:
            raise _failed(exc) from None
        except OSError as exc:  # refused, unreachable, TLS handshake: the network's failures
            raise NotificationFailed(f"smtp: {type(exc).__name__}", transient=True) from None

    def message(self, notice: Notice) -> EmailMessage:
        """The e-mail for the notice: UTF-8 subject and body, a Message-ID stable per
        appeal, step and address, so that a resent notice reads as the same letter."""
        to = notice.to
        assert to.email  # reaches() was asked first
        try:
            recipient = Address(display_name=to.name, addr_spec=to.email)
        except (ValueError, IndexError):  # what the parser raises on a malformed address
            raise NotificationFailed("smtp: malformed recipient address", transient=False) from None
        domain = parseaddr(self._sender)[1].rpartition("@")[2] or "sla-monitor.invalid"
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = recipient
        message["Subject"] = subject(notice)
        message["Date"] = format_datetime(datetime.now(UTC))
        stable = uuid.uuid5(notice.appeal_id, f"{notice.step}/{to.email}")
        message["Message-ID"] = f"<{stable}@{domain}>"
        message.set_content(text(notice, self._zone), charset="utf-8")
        return message


def _failed(exc: aiosmtplib.SMTPException) -> NotificationFailed:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        said = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
        transient = all(400 <= r.code < 500 for r in exc.recipients)
        return NotificationFailed(f"smtp: recipient refused: {said}", transient=transient)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        transient = 400 <= exc.code < 500
        return NotificationFailed(f"smtp: {exc.code} {exc.message}", transient=transient)
    if isinstance(exc, aiosmtplib.SMTPNotSupported):  # no STARTTLS or AUTH: our settings
        return NotificationFailed(f"smtp: {exc.message}", transient=False)
    # Connection errors, timeouts, the server hanging up.
    return NotificationFailed(f"smtp: {type(exc).__name__}", transient=True)
