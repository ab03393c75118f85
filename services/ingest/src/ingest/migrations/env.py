"""Alembic environment of ingest: its own schema and version table."""

from appeals_common.db.migrations import run_env
from ingest.adapters.orm import SCHEMA, metadata

run_env(metadata, SCHEMA)
