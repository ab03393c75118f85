"""Odnoklassniki group chat webhooks: what a body means for a page."""

from ingest.domain.ok.dispatch import OkPayloadError, parse_update, to_outcome, type_label

__all__ = ["OkPayloadError", "parse_update", "to_outcome", "type_label"]
