from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from cases import services
from cases.models import CaseStatusChange, Document
from firm.errors import ApplicationError, PermissionDeniedError
from firm.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_allowed_transition_recorded_and_audited(world):
    actor = world.actor("a", "paralegal")
    case = services.case_transition(
        actor=actor, case=world.cases["a"], to_status="assessment", reason="facts in"
    )
    assert case.status == "assessment"
    assert CaseStatusChange.objects.filter(case=case, to_status="assessment", from_status="intake").exists()
    assert AuditEvent.objects.filter(action="transition", object_id=str(case.pk)).exists()


def test_disallowed_transition_names_the_field(world):
    with pytest.raises(ApplicationError) as err:
        services.case_transition(
            actor=world.actor("a", "lawyer"), case=world.cases["a"], to_status="approved"
        )
    assert "status" in err.value.fields
    world.cases["a"].refresh_from_db()
    assert world.cases["a"].status == "intake"


def test_paralegal_cannot_delete_a_case(world):
    with pytest.raises(PermissionDeniedError):
        services.case_delete(actor=world.actor("a", "paralegal"), case=world.cases["a"])


def test_client_cannot_transition(world):
    with pytest.raises(PermissionDeniedError):
        services.case_transition(
            actor=world.actor("a", "client"), case=world.cases["a"], to_status="assessment"
        )


@override_settings(PRIVATE_MEDIA_ROOT="/tmp/maplecase-test-private")
def test_client_upload_stored_under_generated_name_with_hash(world):
    doc = Document.objects.get(case=world.cases["a"])
    doc = services.document_upload(
        actor=world.actor("a", "client"),
        document=doc,
        file=io.BytesIO(PDF),
        filename="my passport.pdf",
        size=len(PDF),
    )
    assert doc.status == "uploaded"
    assert doc.original_filename == "my passport.pdf"
    assert "passport" not in doc.file.name and doc.file.name.endswith(".pdf")
    import hashlib

    assert doc.sha256 == hashlib.sha256(PDF).hexdigest()
    with services.document_open(actor=world.actor("a", "lawyer"), document=doc) as fh:
        assert fh.read() == PDF
    assert AuditEvent.objects.filter(action="download", object_id=str(doc.pk)).exists()


def test_client_cannot_upload_to_another_clients_document(world):
    doc = Document.objects.get(case=world.cases["a"])
    with pytest.raises(PermissionDeniedError):
        services.document_upload(
            actor=world.actor("b", "client"),
            document=doc,
            file=io.BytesIO(PDF),
            filename="x.pdf",
            size=len(PDF),
        )


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (50 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("../../etc/passwd.pdf", PDF, "path"),
        ("photo.png", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("scan.png", PDF, "ends in .png"),
        ("resume.docx", None, "compression bomb"),
        ("empty.pdf", b"", "empty"),
    ],
)
@override_settings(PRIVATE_MEDIA_ROOT="/tmp/maplecase-test-private")
def test_bad_uploads_are_refused_with_a_file_error(world, filename, data, message):
    data = _bomb() if data is None else data
    doc = Document.objects.get(case=world.cases["a"])
    with pytest.raises(ApplicationError) as err:
        services.document_upload(
            actor=world.actor("a", "lawyer"),
            document=doc,
            file=io.BytesIO(data),
            filename=filename,
            size=len(data),
        )
    assert message in err.value.fields["file"]
    doc.refresh_from_db()
    assert doc.status == "requested" and not doc.file


@override_settings(PRIVATE_MEDIA_ROOT="/tmp/maplecase-test-private", DOCUMENT_MAX_UPLOAD_BYTES=1024)
def test_oversized_upload_refused(world):
    data = PDF + b"0" * 2048
    doc = Document.objects.get(case=world.cases["a"])
    with pytest.raises(ApplicationError) as err:
        services.document_upload(
            actor=world.actor("a", "lawyer"),
            document=doc,
            file=io.BytesIO(data),
            filename="big.pdf",
            size=len(data),
        )
    assert "larger than" in err.value.fields["file"]


def test_checklist_requests_do_not_duplicate(world):
    actor = world.actor("a", "lawyer")
    one = services.document_request(actor=actor, case=world.cases["a"], kind="eca", checklist_key="ee:eca")
    two = services.document_request(actor=actor, case=world.cases["a"], kind="eca", checklist_key="ee:eca")
    assert one.pk == two.pk


def test_rule_deadlines_do_not_duplicate(world):
    from datetime import date

    actor = world.actor("a", "lawyer")
    for _ in range(2):
        services.deadline_create(
            actor=actor,
            case=world.cases["a"],
            kind="ita",
            label="Submit application",
            due_on=date(2027, 1, 20),
            source_key="ee:ita+60",
        )
    assert world.cases["a"].deadlines.filter(source_key="ee:ita+60").count() == 1
