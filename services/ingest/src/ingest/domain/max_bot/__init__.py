"""MAX Bot API webhook updates: what an update means for a page."""

from ingest.domain.max_bot.dispatch import MaxPayloadError, parse_update, to_outcome, type_label

__all__ = ["MaxPayloadError", "parse_update", "to_outcome", "type_label"]
