"""Alembic environment of the SLA monitor: its own schema and version table."""

from appeals_common.db.migrations import run_env
from sla_monitor.adapters.orm import SCHEMA, metadata

run_env(metadata, SCHEMA)
