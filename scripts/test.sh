#!/usr/bin/env bash
# The whole test suite. With no environment it runs on SQLite and skips (with the reason) the tests
# that need PostgreSQL, Redis or Chromium. Set DATABASE_URL / CELERY_BROKER_URL to use the real services;
# REQUIRE_SERVICES=1 turns those skips into failures (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import django, pytest, celery" 2>/dev/null || [ uv.lock -nt .venv/.installed ]; then
  source scripts/uv.sh  # the locked versions (uv.lock), as CI and the Docker image install them
  "$UV" sync --frozen --extra dev --python "${PYTHON:-python3}"
  touch .venv/.installed
fi
exec .venv/bin/python -m pytest "$@"
