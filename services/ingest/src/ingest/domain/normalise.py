"""Pieces every platform's normaliser shares: ids, author keys and text cleaning."""

import hashlib
import hmac
import html
import re
import uuid

from appeals_common.events import AppealKind, Platform

# Fixed forever: changing it would give every platform object a new appeal id.
APPEAL_NAMESPACE = uuid.UUID("6f1c1a52-3c1e-4c57-9a55-2b7f1de0a001")

_VK_MENTION = re.compile(r"\[(?:id|club|public)\d+\|([^\]]*)\]")
_INVISIBLE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\u00ad]")
# Only entities closed by ";": html.unescape alone turns "?id=1&region=37" in a link into "®ion".
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def appeal_id(
    platform: Platform, page_external_id: str, kind: AppealKind, object_key: str
) -> uuid.UUID:
    """The same platform object always gets the same appeal id."""
    return uuid.uuid5(APPEAL_NAMESPACE, f"{platform}:{page_external_id}:{kind}:{object_key}")


def author_key(salt: str, platform: Platform, author_platform_id: str) -> str:
    """A pseudonymous, non-reversible key that lets analytics count authors, not name them."""
    digest = hmac.new(salt.encode(), f"{platform}:{author_platform_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def clean_text(raw: str) -> str:
    """Readable text: mentions resolved, entities decoded, invisibles and extra spaces gone."""
    text = _VK_MENTION.sub(r"\1", raw)
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def response_id(platform: Platform, page_external_id: str, object_key: str) -> uuid.UUID:
    """The same reply by the page on the platform always gets the same response id."""
    return uuid.uuid5(APPEAL_NAMESPACE, f"response:{platform}:{page_external_id}:{object_key}")


def message_appeal_id(platform: Platform, page_external_id: str, message_id: str) -> uuid.UUID:
    """For platforms whose message ids are unique across chats and whose deletions do not say
    which kind of chat the message was in (MAX): the appeal id from the message id alone."""
    return uuid.uuid5(APPEAL_NAMESPACE, f"{platform}:{page_external_id}:message:{message_id}")
