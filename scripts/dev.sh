#!/usr/bin/env bash
# One command from a fresh clone: install, migrate, seed the demo firm, serve on 127.0.0.1:8000.
# Embedded local mode: SQLite under var/, Celery tasks in-process, email written to var/mail/.
# Installs (uv sync) only when pyproject.toml or uv.lock changed since the last install, or on the first start.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh  # the locked versions (uv.lock), as CI and the Docker image install them
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ] || [ uv.lock -nt .venv/.installed ]; then
  "$UV" sync --frozen --extra dev --python "${PYTHON:-python3}"
  touch .venv/.installed
fi
export DJANGO_ENV=local
# The local-mode banner is printed once, by the first command; the others (and runserver's reloader
# child) inherit MAPLECASE_BANNER_SHOWN and stay quiet.
.venv/bin/python manage.py migrate --noinput -v0
export MAPLECASE_BANNER_SHOWN=1
.venv/bin/python manage.py seed_demo
echo
echo "Dashboard: http://127.0.0.1:8000/   Django admin: http://127.0.0.1:8000/admin/   API docs: http://127.0.0.1:8000/api/docs/"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
