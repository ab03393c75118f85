"""Fields the directory's and the rules' imports share, checked the same way in both."""

from collections.abc import Callable
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator

from appeals_common.rubric import is_competence
from router.domain.gazetteer import is_oktmo


class NotYaml(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def read_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (for lines) and its data. NotYaml says what is wrong where,
    without PyYAML's snippet of the text: an answer does not repeat what was sent."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at column {mark.column + 1}" if mark else ""
        raise NotYaml(mark.line + 1 if mark else 1, f"not YAML: {exc.problem}{where}") from None
    except yaml.YAMLError:
        raise NotYaml(1, "not YAML") from None


def refuse_items(items: list[str], good: Callable[[str], bool], what: str) -> list[str]:
    """The items if all are good; else an error naming the bad ones by position (1-based),
    not by value: an answer does not repeat what was sent."""
    bad = [str(i) for i, item in enumerate(items, 1) if not good(item)]
    if bad:
        raise ValueError(f"item{'s' if len(bad) > 1 else ''} {', '.join(bad)}: not {what}")
    return items


def _oktmo_codes(codes: list[str]) -> list[str]:
    return refuse_items(codes, is_oktmo, "OKTMO codes (8 or 11 digits)")


def _competences(items: list[str]) -> list[str]:
    return refuse_items(items, is_competence, "topics of the rubricator")


OktmoCodes = Annotated[list[str], AfterValidator(_oktmo_codes)]
Competences = Annotated[list[str], AfterValidator(_competences)]  # topics, subtopics, "x.*"
