"""Alembic environment of the router: its own schema and version table."""

from appeals_common.db.migrations import run_env
from router.adapters.orm import SCHEMA, metadata

run_env(metadata, SCHEMA)
