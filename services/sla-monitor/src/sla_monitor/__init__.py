"""sla_monitor service."""
