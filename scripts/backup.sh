#!/usr/bin/env bash
# Back up MapleCase: the database (pg_dump, custom format) and the documents (a tar of the media folder),
# taken from one database snapshot, with row counts and checksums for the restore drill.
#
#   DATABASE_URL=postgres://user:pass@host:5432/maplecase MEDIA_DIR=/srv/maplecase/private \
#     bash scripts/backup.sh /backups
#   docker compose run --rm backup            # the same, inside the stack (docker-compose.yml)
#
# Writes DEST/<UTC timestamp>/{db.dump, media.tar, row_counts.tsv, SHA256SUMS} and prints that folder.
# Documents on object storage (DOCUMENTS_S3_BUCKET) are not copied here: use bucket versioning and a
# replica bucket in Canada (docs/operations.md, "Backups").
set -euo pipefail
DEST_ROOT=${1:-${BACKUP_DIR:-./backups}}
: "${DATABASE_URL:?set DATABASE_URL}"
MEDIA_DIR=${MEDIA_DIR:-var/private}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$DEST_ROOT/$stamp"
mkdir -p "$dest"
umask 077

COUNTS_SQL="SELECT table_name, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I',
  table_schema, table_name), false, true, '')))[1]::text FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name;"

# One read-only snapshot for both the dump and the row counts: a psql session exports it and stays open.
coproc PSQL { psql "$DATABASE_URL" -qAtX -v ON_ERROR_STOP=1 -F $'\t'; }
echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT pg_export_snapshot();" >&"${PSQL[1]}"
read -r snapshot <&"${PSQL[0]}"
pg_dump "$DATABASE_URL" --snapshot="$snapshot" --format=custom --no-owner --no-privileges --file="$dest/db.dump"
echo "$COUNTS_SQL SELECT '__end__';" >&"${PSQL[1]}"
: >"$dest/row_counts.tsv"
while read -r line <&"${PSQL[0]}"; do
  [ "$line" = "__end__" ] && break
  printf '%s\n' "$line" >>"$dest/row_counts.tsv"
done
echo "COMMIT;" >&"${PSQL[1]}"
eval "exec ${PSQL[1]}>&-"
wait "$PSQL_PID" 2>/dev/null || true

if [ -d "$MEDIA_DIR" ]; then
  tar -C "$MEDIA_DIR" -cf "$dest/media.tar" .
else
  echo "backup: no media folder at $MEDIA_DIR (documents on object storage?)" >&2
  tar -cf "$dest/media.tar" --files-from /dev/null
fi
(cd "$dest" && sha256sum db.dump media.tar row_counts.tsv >SHA256SUMS)
echo "$dest"
