"""Staff case pages: transitions, documents (request, upload, review, download), deadlines, notes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Document
from firm.models import AuditEvent
from tests.fixtures.web import PDF, PNG, login

pytestmark = pytest.mark.django_db


def test_case_page_lists_only_allowed_transitions_and_transitions(client, world):
    login(client, world.lawyer_a)
    url = reverse("case-detail", args=[world.case_a.pk])
    html = client.get(url).content.decode()
    assert 'value="ready_to_file"' in html and 'value="withdrawn"' in html
    assert 'name="to_status" value="approved"' not in html
    r = client.post(reverse("case-transition", args=[world.case_a.pk]), {"to_status": "approved"})
    assert r.status_code == 400 and "can move to" in r.content.decode()
    r = client.post(
        reverse("case-transition", args=[world.case_a.pk]), {"to_status": "ready_to_file", "reason": "all in"}
    )
    assert r.status_code == 302
    world.case_a.refresh_from_db()
    assert world.case_a.status == "ready_to_file"
    html = client.get(url).content.decode()
    assert "all in" in html and 'value="filed"' in html


def test_document_request_upload_review_and_download(client, world):
    login(client, world.paralegal_a)
    case = world.case_a
    assert (
        client.post(
            reverse("document-request", args=[case.pk]),
            {"req-kind": "police_certificate", "req-label": "India PCC"},
        ).status_code
        == 302
    )
    doc = Document.objects.get(case=case, label="India PCC")
    upload = SimpleUploadedFile("pcc.pdf", PDF, content_type="application/pdf")
    assert client.post(reverse("document-upload", args=[doc.pk]), {"file": upload}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "uploaded" and doc.original_filename == "pcc.pdf"
    # reject without reason: error shown, not saved
    r = client.post(reverse("document-review", args=[doc.pk]), {"decision": "reject"})
    assert r.status_code == 400 and "Say why" in r.content.decode()
    assert (
        client.post(
            reverse("document-review", args=[doc.pk]), {"decision": "reject", "reason": "blurry"}
        ).status_code
        == 302
    )
    doc.refresh_from_db()
    assert doc.status == "rejected" and doc.rejection_reason == "blurry"
    assert client.post(reverse("document-review", args=[doc.pk]), {"decision": "verify"}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == "verified"
    r = client.get(reverse("document-download", args=[doc.pk]))
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment") and "pcc.pdf" in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        action="download", object_id=str(doc.pk), actor=world.paralegal_a
    ).exists()


def test_upload_new_document_and_bad_file_type(client, world):
    login(client, world.lawyer_a)
    url = reverse("document-create-upload", args=[world.case_a.pk])
    good = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    assert client.post(url, {"new-kind": "photo", "new-file": good}).status_code == 302
    assert Document.objects.filter(case=world.case_a, kind="photo", status="uploaded").exists()
    bad = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = client.post(url, {"new-kind": "other", "new-file": bad})
    assert r.status_code == 400 and "not accepted" in r.content.decode()


def test_document_without_file_download_is_404(client, world):
    login(client, world.lawyer_a)
    assert client.get(reverse("document-download", args=[world.doc_a.pk])).status_code == 404


def test_deadline_add_and_done(client, world):
    login(client, world.lawyer_a)
    r = client.post(
        reverse("deadline-create", args=[world.case_a.pk]),
        {"dl-label": "Biometrics", "dl-due_on": "2030-01-02"},
    )
    assert r.status_code == 302
    assert world.case_a.deadlines.filter(label="Biometrics").exists()
    r = client.post(reverse("deadline-create", args=[world.case_a.pk]), {"dl-label": "", "dl-due_on": "nope"})
    assert r.status_code == 400
    assert client.post(reverse("deadline-done", args=[world.deadline_a.pk]), {"done": "1"}).status_code == 302
    world.deadline_a.refresh_from_db()
    assert world.deadline_a.done


def test_notes_internal_and_shared(client, world):
    login(client, world.lawyer_a)
    client.post(
        reverse("note-create", args=[world.case_a.pk]),
        {"note-text": "For the client", "note-visible_to_client": "on"},
    )
    client.post(reverse("note-create", args=[world.case_a.pk]), {"note-text": "Staff only"})
    assert world.case_a.notes.get(text="For the client").visible_to_client
    assert not world.case_a.notes.get(text="Staff only").visible_to_client
    r = client.post(reverse("note-create", args=[world.case_a.pk]), {"note-text": ""})
    assert r.status_code == 400
