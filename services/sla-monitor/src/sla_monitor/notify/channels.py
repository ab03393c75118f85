"""The notice channels the settings ask for: e-mail when an SMTP host is set, Telegram when a
bot token is; none when neither (then steps are only counted)."""

import httpx

from sla_monitor.notify.email import EmailNotifier
from sla_monitor.notify.fanout import Fanout
from sla_monitor.notify.ports import Channel
from sla_monitor.notify.telegram import TelegramNotifier
from sla_monitor.settings import Settings


def channels(settings: Settings, http: httpx.AsyncClient) -> Fanout | None:
    found: list[Channel] = []
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        found.append(
            EmailNotifier(
                host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_from,
                username=settings.smtp_username, password=password, use_tls=settings.smtp_tls,
            )
        )  # fmt: skip
    if settings.telegram_bot_token:
        found.append(
            TelegramNotifier(
                http=http, token=settings.telegram_bot_token.get_secret_value(),
                api_url=settings.telegram_api_url,
            )
        )  # fmt: skip
    return Fanout(found) if found else None
