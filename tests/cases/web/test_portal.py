"""The client portal: own cases only, next step, checklist upload, shared notes, score."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.fixtures.web import PDF, login, make_score

pytestmark = pytest.mark.django_db


def test_portal_home_shows_own_cases_next_step_todo_and_deadlines(client, world):
    login(client, world.client_a.portal_user)
    r = client.get(reverse("home"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Please upload the documents in your checklist." in html
    assert reverse("portal-case", args=[world.case_a.pk]) in html
    assert reverse("portal-case", args=[world.case_a2.pk]) not in html
    assert "Submit medicals" in html
    assert "No score yet" in html


def test_portal_case_checklist_and_notes(client, world):
    login(client, world.client_a.portal_user)
    html = client.get(reverse("portal-case", args=[world.case_a.pk])).content.decode()
    assert "Shared: we received your forms" in html
    assert "Internal: check gap" not in html
    # No `capture`: on phones it would open the camera only; `accept` keeps photos and PDFs, so the phone
    # offers both the camera and the file picker (the label says "Take a photo or choose a file").
    assert "capture=" not in html and 'accept=".pdf' in html and "image/*" in html and 'type="file"' in html
    assert reverse("portal-document-upload", args=[world.doc_a.pk]) in html


def test_client_uploads_a_document_and_staff_sees_it(client, world):
    login(client, world.client_a.portal_user)
    upload = SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")
    r = client.post(reverse("portal-document-upload", args=[world.doc_a.pk]), {"file": upload})
    assert r.status_code == 302
    world.doc_a.refresh_from_db()
    assert world.doc_a.status == "uploaded" and world.doc_a.uploaded_by == world.client_a.portal_user
    r = client.get(reverse("document-download", args=[world.doc_a.pk]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    client.logout()
    login(client, world.lawyer_a)
    html = client.get(reverse("case-detail", args=[world.case_a.pk])).content.decode()
    assert "passport.pdf" in html


def test_client_upload_errors_are_shown(client, world):
    login(client, world.client_a.portal_user)
    bad = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    r = client.post(reverse("portal-document-upload", args=[world.doc_a.pk]), {"file": bad})
    assert r.status_code == 400 and "not accepted" in r.content.decode()
    r = client.post(reverse("portal-document-upload", args=[world.doc_a.pk]), {})
    assert r.status_code == 400


def test_client_cannot_replace_a_verified_document(client, world):
    world.doc_a_file.status = "verified"
    world.doc_a_file.save()
    login(client, world.client_a.portal_user)
    upload = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    r = client.post(reverse("portal-document-upload", args=[world.doc_a_file.pk]), {"file": upload})
    assert r.status_code == 400 and "already verified" in r.content.decode()


def test_portal_score_with_breakdown_and_improvements(client, world):
    make_score(world.client_a, 498, date.today() - timedelta(days=1))
    login(client, world.client_a.portal_user)
    html = client.get(reverse("portal-score")).content.decode()
    assert "498" in html and "Age" in html and "First official language: writing" in html
    assert "What would raise it" in html
    assert 'class="delta"' in html  # at least one improvement from the what-if engine
