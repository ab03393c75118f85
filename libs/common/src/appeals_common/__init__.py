"""Shared plumbing for the appeals services: event contracts, Kafka, database, settings, metrics."""
