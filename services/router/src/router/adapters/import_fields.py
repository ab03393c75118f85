"""Fields the directory's and the rules' imports share, checked the same way in both."""

from typing import Annotated

from pydantic import AfterValidator

from appeals_common.rubric import is_competence
from router.domain.gazetteer import is_oktmo


def _oktmo_codes(codes: list[str]) -> list[str]:
    bad = [c for c in codes if not is_oktmo(c)]
    if bad:
        raise ValueError(f"not OKTMO codes (8 or 11 digits): {bad}")
    return codes


def _competences(items: list[str]) -> list[str]:
    unknown = [i for i in items if not is_competence(i)]
    if unknown:
        raise ValueError(f"unknown topics (not in the rubricator): {unknown}")
    return items


OktmoCodes = Annotated[list[str], AfterValidator(_oktmo_codes)]
Competences = Annotated[list[str], AfterValidator(_competences)]  # topics, subtopics, "x.*"
