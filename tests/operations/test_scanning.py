"""Upload scanning against a REAL clamd (started by the `clamd` fixture with a local EICAR signature).

An upload is held as `scanning` (not downloadable, not reviewable) until the scan task runs; a clean
file becomes `uploaded`, the EICAR test file becomes `quarantined` with the signature in the audit log.
"""

from __future__ import annotations

import io

import pytest

from cases import services
from cases.clamav import ClamdClient, ScannerError
from cases.models import Document
from cases.scanning import document_scan
from firm.errors import ApplicationError
from firm.models import AuditEvent
from tests.factories import PDF_BYTES
from tests.operations.conftest import EICAR

pytestmark = pytest.mark.django_db

INFECTED_PDF = PDF_BYTES + b"%" + EICAR + b"\n"


def test_clamd_client_finds_eicar_and_passes_a_clean_file(clamd):
    client = ClamdClient.from_url(clamd)
    infected = client.scan(io.BytesIO(EICAR))
    assert not infected.clean and infected.signature.startswith("MapleCase.Test.EICAR")
    assert client.scan(io.BytesIO(PDF_BYTES)).clean
    big = io.BytesIO(b"A" * (3 * 1024 * 1024) + EICAR)  # several INSTREAM chunks; signature at the end
    assert not client.scan(big).clean


def _upload(office, data: bytes, name: str = "passport.pdf") -> Document:
    return services.document_create_with_file(
        actor=office.actor(),
        case=office.case,
        kind="passport",
        file=io.BytesIO(data),
        filename=name,
        size=len(data),
    )


def test_clean_upload_is_held_as_scanning_then_released(
    office, clamd, settings, private_root, django_capture_on_commit_callbacks
):
    settings.CLAMAV_URL = clamd
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        doc = _upload(office, PDF_BYTES)
        assert doc.status == "scanning"
        with pytest.raises(ApplicationError, match="Not available"):
            services.document_open(actor=office.actor(), document=doc)
    assert callbacks, "the scan task was not enqueued after commit"
    doc.refresh_from_db()
    assert doc.status == "uploaded"
    assert AuditEvent.objects.filter(action="scan_clean", object_id=str(doc.pk)).exists()
    with services.document_open(actor=office.actor(), document=doc) as handle:
        assert handle.read() == PDF_BYTES


def test_eicar_upload_is_quarantined_and_never_served(
    office, clamd, settings, private_root, django_capture_on_commit_callbacks
):
    settings.CLAMAV_URL = clamd
    with django_capture_on_commit_callbacks(execute=True):
        doc = _upload(office, INFECTED_PDF, "invoice.pdf")
    doc.refresh_from_db()
    assert doc.status == "quarantined"
    event = AuditEvent.objects.get(action="quarantine", object_id=str(doc.pk))
    assert event.changes["signature"].startswith("MapleCase.Test.EICAR")
    with pytest.raises(ApplicationError):
        services.document_open(actor=office.actor(), document=doc)
    with pytest.raises(ApplicationError):
        services.document_review(actor=office.actor(), document=doc, verified=True)


def test_scanner_down_keeps_the_document_scanning(office, settings, private_root, tmp_path):
    settings.CLAMAV_URL = f"unix://{tmp_path / 'no-clamd.sock'}"
    doc = _upload(office, PDF_BYTES)  # on_commit never runs here (test transaction): scan by hand
    with pytest.raises(ScannerError):
        document_scan(document_id=doc.pk)
    doc.refresh_from_db()
    assert doc.status == "scanning"


def test_scanning_off_by_default(office, settings, private_root):
    assert settings.CLAMAV_URL == ""
    assert _upload(office, PDF_BYTES).status == "uploaded"


def test_new_statuses_have_french_labels():
    from django.utils import translation

    from cases.constants import DocumentStatus

    with translation.override("fr"):
        assert translation.gettext(DocumentStatus.QUARANTINED.label) == "En quarantaine (virus détecté)"
        assert translation.gettext(DocumentStatus.SCANNING.label) == "Analyse antivirus en cours"
