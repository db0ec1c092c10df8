#!/usr/bin/env bash
# CI's backup-and-restore drill on the local PostgreSQL: a scratch source database with the demo firm
# (documents with files), scripts/backup.sh, then scripts/restore_drill.sh into a fresh database.
#   DRILL_SERVER_URL=postgres://postgres@127.0.0.1:5432 bash scripts/drill_demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
server=${DRILL_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
source_db="maplecase_drill_source_$$"
work=$(mktemp -d)
trap 'psql "$server/postgres" -qAtX -c "DROP DATABASE IF EXISTS $source_db" >/dev/null; rm -rf "$work"' EXIT
psql "$server/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $source_db" >/dev/null
export DJANGO_ENV=local DATABASE_URL="$server/$source_db" VAR_DIR="$work/var" PRIVATE_MEDIA_ROOT="$work/private"
export MAPLECASE_BANNER_SHOWN=1 CELERY_BROKER_URL=
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo >/dev/null
backup=$(MEDIA_DIR="$work/private" bash scripts/backup.sh "$work/backups")
bash scripts/restore_drill.sh "$backup"
