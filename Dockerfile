# One image for the four services and the one-off jobs; the command picks what runs:
#   uvicorn ingest.main:app | ingest.delivery.main:app | classifier.main:app | router.main:app
#   | sla_monitor.main:app
#   python -m appeals_common.kafka | python -m ingest.migrate | python -m router.migrate
#   | python -m sla_monitor.migrate | python -m ingest.pages import FILE
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH"

RUN pip install --no-cache-dir uv==0.13.9 \
    && groupadd --system --gid 10001 appeals \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin appeals

WORKDIR /app

# Step 1: third-party dependencies only, from the lock file; this layer changes when they do.
COPY pyproject.toml uv.lock ./
COPY libs/common/pyproject.toml libs/common/
COPY services/ingest/pyproject.toml services/ingest/
COPY services/classifier/pyproject.toml services/classifier/
COPY services/router/pyproject.toml services/router/
COPY services/sla-monitor/pyproject.toml services/sla-monitor/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-install-workspace

# Step 2: the workspace's own code and the configuration files it reads by default; the
# classifier's model is trained here from the training data in the repository.
COPY libs libs
COPY services services
COPY config config
# The development identity provider and the fakes of the platforms' APIs, for docker compose
# (production uses the region's IdP and the real platforms).
COPY tools/__init__.py tools/login.py tools/
COPY tools/dev_idp tools/dev_idp
COPY tools/fake_platforms tools/fake_platforms
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev \
    && python -m compileall -q libs services \
    && python -m classifier.train

USER 10001:10001
EXPOSE 8000
CMD ["uvicorn", "ingest.main:app", "--host", "0.0.0.0", "--port", "8000"]
