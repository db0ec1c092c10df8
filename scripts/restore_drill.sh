#!/usr/bin/env bash
# Restore drill: restore a backup made by scripts/backup.sh into a NEW database and prove it is whole.
#
#   DATABASE_URL=postgres://user@host:5432/maplecase bash scripts/restore_drill.sh /backups/20261201T030000Z
#
# 1. checks the backup's SHA256SUMS;
# 2. creates a scratch database (maplecase_drill_<time>) on the same server and pg_restores into it;
# 3. compares every table's row count with the counts taken at backup time;
# 4. unpacks the documents and checks each document file against the sha256 stored in its row;
# 5. with the code at hand, checks that the restored schema has no pending migration;
# 6. drops the scratch database (KEEP_DRILL_DB=1 keeps it). Exit status 0 only if every check passed.
set -euo pipefail
backup=${1:?usage: restore_drill.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL (the server to restore on; its database is not touched)}"
MAX_FILES=${DRILL_MAX_FILES:-200}
here=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "restore drill FAILED: $*" >&2; exit 1; }

(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || fail "backup files do not match SHA256SUMS"

server_url=${DATABASE_URL%/*}
drill_db="maplecase_drill_$(date -u +%Y%m%d%H%M%S)_$$"
drill_url="$server_url/$drill_db"
work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  if [ "${KEEP_DRILL_DB:-0}" != 1 ]; then
    psql "$server_url/postgres" -qAtX -c "DROP DATABASE IF EXISTS \"$drill_db\"" >/dev/null || true
  fi
}
trap cleanup EXIT

psql "$server_url/postgres" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$drill_db\"" >/dev/null
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$drill_url" "$backup/db.dump"
echo "restored into $drill_db"

COUNTS_SQL="SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
  table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name;"
psql "$drill_url" -qAtX -F $'\t' -v ON_ERROR_STOP=1 -c "$COUNTS_SQL" >"$work/restored_counts.tsv"
if ! diff -u "$backup/row_counts.tsv" "$work/restored_counts.tsv"; then
  fail "row counts differ (above: - at backup, + restored)"
fi
tables=$(wc -l <"$work/restored_counts.tsv")
rows=$(awk -F'\t' '{s += $2} END {print s + 0}' "$work/restored_counts.tsv")
echo "row counts match: $tables tables, $rows rows"

mkdir "$work/media"
tar -C "$work/media" -xf "$backup/media.tar"
psql "$drill_url" -qAtX -F $'\t' -v ON_ERROR_STOP=1 -c \
  "SELECT id, file, sha256 FROM cases_document WHERE file <> '' AND sha256 <> '' ORDER BY uploaded_at DESC NULLS LAST, id DESC LIMIT $MAX_FILES" \
  >"$work/documents.tsv"
checked=0
while IFS=$'\t' read -r id name expected; do
  path="$work/media/$name"
  [ -f "$path" ] || fail "document $id: file $name is missing from media.tar"
  actual=$(sha256sum "$path" | cut -d' ' -f1)
  [ "$actual" = "$expected" ] || fail "document $id: sha256 $actual, expected $expected"
  checked=$((checked + 1))
done <"$work/documents.tsv"
if [ "$checked" -eq 0 ] && [ "${DRILL_ALLOW_NO_DOCUMENTS:-0}" != 1 ]; then
  fail "no document with a file to check (set DRILL_ALLOW_NO_DOCUMENTS=1 for an empty site)"
fi
echo "document files match their sha256: $checked checked"

if [ -x "$here/.venv/bin/python" ] && [ -f "$here/manage.py" ]; then
  (cd "$here" && DJANGO_ENV=test DATABASE_URL="$drill_url" .venv/bin/python manage.py migrate --check >/dev/null) \
    || fail "the restored schema has unapplied migrations for this code"
  echo "schema matches the code's migrations"
fi
echo "restore drill passed: $backup"
