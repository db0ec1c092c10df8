#!/usr/bin/env bash
# The whole test suite. With no environment it runs on SQLite and skips (with the reason) the tests
# that need PostgreSQL, Redis or Chromium. Set DATABASE_URL / CELERY_BROKER_URL to use the real services;
# REQUIRE_SERVICES=1 turns those skips into failures (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
if ! .venv/bin/python -c "import django, pytest, celery" 2>/dev/null || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  touch .venv/.installed
fi
exec .venv/bin/python -m pytest "$@"
