"""The pieces of `deploy/local/stack.py`: profiles, processes, Kafka, PostgreSQL, services.

Standard library only: it runs before (and without) the project's dependencies.
"""
