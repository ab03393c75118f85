"""Answer templates from config/answer-templates.yaml: per agency, per topic, and generic."""

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnswerTemplate:
    title: str
    text: str


@dataclass(frozen=True)
class AnswerTemplates:
    by_agency: dict[str, tuple[AnswerTemplate, ...]]
    by_topic: dict[str, tuple[AnswerTemplate, ...]]  # a topic id or a section "improvement.*"
    generic: tuple[AnswerTemplate, ...]

    def for_appeal(self, agency_id: str, topic: str) -> list[AnswerTemplate]:
        """The agency's, then the topic's (exact, then its section), then the generic ones."""
        section = topic.split(".")[0] + ".*"
        found = [
            *self.by_agency.get(agency_id, ()),
            *self.by_topic.get(topic, ()),
            *self.by_topic.get(section, ()),
            *self.generic,
        ]
        return list(dict.fromkeys(found))


def _items(raw: Any) -> tuple[AnswerTemplate, ...]:
    return tuple(AnswerTemplate(str(i["title"]), str(i["text"]).strip()) for i in raw or ())


def parse(document: dict[str, Any]) -> AnswerTemplates:
    return AnswerTemplates(
        by_agency={k: _items(v) for k, v in (document.get("agencies") or {}).items()},
        by_topic={k: _items(v) for k, v in (document.get("topics") or {}).items()},
        generic=_items(document.get("generic")),
    )


@lru_cache(maxsize=4)
def load(path: Path) -> AnswerTemplates:
    """Read once per file; a missing or broken file gives no templates, not a broken card."""
    try:
        return parse(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
        log.warning("answer templates not loaded", extra={"path": str(path), "error": str(error)})
        return AnswerTemplates({}, {}, ())
