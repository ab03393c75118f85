"""Telegram Bot API webhook updates: what an update means for a page."""

from ingest.domain.telegram.dispatch import (
    TelegramPayloadError,
    parse_update,
    to_outcome,
    update_kind,
)

__all__ = ["TelegramPayloadError", "parse_update", "to_outcome", "update_kind"]
