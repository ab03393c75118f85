"""Loads the agency directory from YAML and checks it is consistent."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from router.domain.agencies import Agency, AgencyDirectory


class _AgencyRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    body_type: str
    territory: str
    topics: list[str] = []
    parent: str | None = None


class _DirectoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    triage_agency: str
    territories: dict[str, str]
    agencies: list[_AgencyRecord]

    @model_validator(mode="after")
    def _consistent(self) -> "_DirectoryFile":
        ids = [a.id for a in self.agencies]
        if len(ids) != len(set(ids)):
            raise ValueError("agency ids must be unique")
        if self.triage_agency not in ids:
            raise ValueError(f"triage agency {self.triage_agency!r} is not in the directory")
        unknown = {a.parent for a in self.agencies if a.parent is not None} - set(ids)
        if unknown:
            raise ValueError(f"parents not in the directory: {sorted(unknown)}")
        return self


def load_agency_directory(path: Path) -> AgencyDirectory:
    """Read and validate the directory; a broken file stops the service at start-up."""
    data = _DirectoryFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return AgencyDirectory(
        agencies=tuple(
            Agency(**{**a.model_dump(), "topics": tuple(a.topics)}) for a in data.agencies
        ),
        territories=dict(data.territories),
        triage_agency_id=data.triage_agency,
    )
