#!/usr/bin/env bash
# What the Docker image installs, checked without Docker (CI has no engine): the production dependencies
# only (uv.lock, no dev extra, as the Dockerfile's `uv sync --frozen --no-install-project`), then the app
# from a different working directory with PYTHONPATH, as in the image: production `check --deploy`, the
# Celery app and gunicorn's config load.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/uv.sh
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp pyproject.toml uv.lock README.md "$work/"
(cd "$work" && UV_PROJECT_ENVIRONMENT="$work/venv" "$UV" sync --frozen --no-install-project --python python3 -q)
mkdir -p "$work/var/static"
export DJANGO_ENV=production PYTHONPATH="$root" VAR_DIR="$work/var" ALLOWED_HOSTS=cases.example.ca \
  SECRET_KEY="$("$work/venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  DATABASE_URL=postgres://maplecase:x@postgres:5432/maplecase CELERY_BROKER_URL=redis://redis:6379/0
cd "$work"
"$work/venv/bin/python" "$root/manage.py" check --deploy --fail-level WARNING
"$work/venv/bin/python" -c "from config.celery import app; app.loader.import_default_modules(); \
print('celery tasks:', len([t for t in app.tasks if not t.startswith('celery.')]))"
"$work/venv/bin/gunicorn" --check-config config.wsgi:application
echo "image environment OK (production dependencies only)"
