# Task runner. Targets: install, demo, test, down, lint, bench, train, bench-classifier,
# corrections, retrain.
# Whatever they need comes from registries: uv from PyPI, PostgreSQL from Debian's packages,
# the Kafka broker's jars from Maven Central (`stack.py prepare`).

SHELL := /bin/bash
PYTHON := .venv/bin/python
STACK := $(PYTHON) deploy/local/stack.py
# uv installed by pip may not be on PATH yet (pyenv shims): the module runs all the same.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)

.PHONY: install demo test down lint bench train bench-classifier corrections retrain

install:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked
	$(PYTHON) -m classifier.train --if-stale
	$(STACK) prepare

# Leaves the dev stack running; `make down` stops it.
demo: install
	$(STACK) up --profile dev
	$(PYTHON) tools/demo.py

# Integration and e2e tests start the test-profile stack themselves (tests/infra.py).
test: install
	$(PYTHON) -m pytest

down:
	$(STACK) down --profile dev

lint:
	$(UV) run ruff check . && $(UV) run ruff format --check . && $(UV) run mypy

bench:
	$(PYTHON) tools/bench.py

# The classifier's model from the repository's training data (services/classifier/data/train);
# `install` does this only when the artifact is missing or older than the data.
train:
	$(PYTHON) -m classifier.train

# Quality and speed of the classifier on its evaluation set (services/classifier/data/eval).
bench-classifier:
	$(PYTHON) -m classifier.evaluate

# Operators' topic corrections published since the last run, merged into the training data
# (services/classifier/data/corrections/operators.jsonl) for review and commit.
corrections:
	$(PYTHON) -m classifier.corrections

# A candidate model from the training data and the corrections, promoted only if no worse on
# the evaluation sets; `python -m classifier.promotion --rollback` undoes a promotion.
retrain:
	$(PYTHON) -m classifier.promotion
