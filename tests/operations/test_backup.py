"""scripts/backup.sh and scripts/restore_drill.sh against the real PostgreSQL: a backup restores into a
fresh database with the same row counts and document checksums, and the drill catches a damaged backup."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from cases import services
from tests.factories import PDF_BYTES, PNG_BYTES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=150,
    )


@pytest.fixture
def backup(office, private_root, tmp_path) -> Path:
    for data, name in ((PDF_BYTES, "passport.pdf"), (PNG_BYTES, "photo.png")):
        services.document_create_with_file(
            actor=office.actor(), case=office.case, kind="passport", file=io.BytesIO(data), filename=name
        )
    env = {"DATABASE_URL": _database_url(), "MEDIA_DIR": str(private_root)}
    result = _run("backup.sh", str(tmp_path / "backups"), env=env)
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.strip().splitlines()[-1])
    assert {p.name for p in folder.iterdir()} == {"db.dump", "media.tar", "row_counts.tsv", "SHA256SUMS"}
    return folder


def test_backup_restores_with_the_same_rows_and_files(backup):
    counts = dict(line.split("\t") for line in (backup / "row_counts.tsv").read_text().splitlines())
    assert counts["cases_document"] == "2" and int(counts["firm_auditevent"]) >= 2
    result = _run("restore_drill.sh", str(backup), env={"DATABASE_URL": _database_url()})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "document files match their sha256: 2 checked" in result.stdout
    assert "restore drill passed" in result.stdout


def _reseal(backup: Path) -> None:
    """Rewrite SHA256SUMS, as if the damage happened before the backup was sealed."""
    lines = [
        f"{hashlib.sha256((backup / n).read_bytes()).hexdigest()}  {n}"
        for n in ("db.dump", "media.tar", "row_counts.tsv")
    ]
    (backup / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def test_drill_fails_on_a_changed_document(backup, tmp_path):
    unpacked = tmp_path / "unpacked"
    with tarfile.open(backup / "media.tar") as tar:
        tar.extractall(unpacked, filter="data")
    victim = next(p for p in unpacked.rglob("*.pdf"))
    victim.write_bytes(victim.read_bytes() + b"tampered")
    with tarfile.open(backup / "media.tar", "w") as tar:
        tar.add(unpacked, arcname=".")
    result = _run("restore_drill.sh", str(backup), env={"DATABASE_URL": _database_url()})
    assert result.returncode != 0 and "SHA256SUMS" in result.stderr  # the seal catches it first
    _reseal(backup)
    result = _run("restore_drill.sh", str(backup), env={"DATABASE_URL": _database_url()})
    assert result.returncode != 0 and "sha256" in result.stderr and "expected" in result.stderr


def test_drill_fails_when_row_counts_differ(backup):
    path = backup / "row_counts.tsv"
    path.write_text(path.read_text().replace("cases_document\t2", "cases_document\t3"))
    _reseal(backup)
    result = _run("restore_drill.sh", str(backup), env={"DATABASE_URL": _database_url()})
    assert result.returncode != 0 and "row counts differ" in result.stderr
