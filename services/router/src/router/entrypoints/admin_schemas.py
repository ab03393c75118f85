"""What the admin API reads and returns: directory and rule set versions, imports, dry runs."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from appeals_common.text import StorableText

Comment = StorableText
Document = StorableText


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VersionRead(BaseModel):
    version: int
    created_at: datetime
    actor: str = Field(description="who stored it")
    comment: str
    changed: list[str] = Field(description="the body or rule ids it changed")


class VersionDocument(VersionRead):
    document: str = Field(description="the whole version in its YAML import format")


class DirectoryImport(_Body):
    format: Literal["yaml", "csv"] = Field(default="yaml", description="see docs/directory.md")
    mode: Literal["upsert", "replace"] = Field(
        default="upsert",
        description="upsert: add the document's bodies, replacing those of the same ids; "
        "replace: the document is the whole new directory (YAML only)",
    )
    document: Document = Field(min_length=1)
    comment: Comment = Field(default="", max_length=500, description="why, for the history")
    dry_run: bool = Field(default=True, description="check and report only; false stores it")


class BodyChanges(BaseModel):
    added: list[str]
    changed: list[str]
    removed: list[str]


class DirectoryChangeRead(BaseModel):
    based_on: int = Field(description="the version the change was made on")
    version: int | None = Field(description="the version stored; null for a dry run")
    bodies: int = Field(description="bodies in the resulting directory")
    changes: BodyChanges


class RulesDocument(_Body):
    document: Document = Field(min_length=1, description="a rule set in the rules' YAML format")
    limit: int = Field(default=1000, ge=1, le=5000, description="how many recent appeals")


class RulesPublish(_Body):
    document: Document = Field(min_length=1)
    dry_run_digest: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="the `digest` of this document's dry run"
    )
    comment: Comment = Field(default="", max_length=500)


class RerouteRead(BaseModel):
    appeal_id: uuid.UUID
    now: str | None = Field(description="the body it goes to under the rules in use")
    proposed: str | None = Field(description="the body it would go to; null: not an appeal")
    rule_now: str | None
    rule_proposed: str | None


class DryRunRead(BaseModel):
    based_on: int = Field(description="the rules version the proposal is compared with")
    digest: str = Field(description="give it as dry_run_digest to publish this document")
    appeals: int = Field(description="recent appeals routed both ways")
    changed: int
    to_triage: int = Field(description="appeals routed now that would go to triage")
    from_triage: int
    by_rule: dict[str, int] = Field(description="appeals each proposed rule would decide")
    examples: list[RerouteRead] = Field(description="up to 50 appeals that would move")


class PublishedRead(BaseModel):
    version: int
