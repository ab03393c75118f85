"""Every router the ingest app serves, in one list for the app and its edge tests."""

from ingest.entrypoints import admin, api, batch, max_bot, ok, telegram, vk

ROUTERS = [
    api.router,
    batch.router,
    vk.router,
    telegram.router,
    max_bot.router,
    ok.router,
    admin.router,
]
