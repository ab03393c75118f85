"""Root conftest: the infra fixtures reach every test directory, services/*/tests included."""

pytest_plugins = ["tests.infra"]
