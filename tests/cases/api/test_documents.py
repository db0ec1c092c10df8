"""Document upload and download: size cap, magic bytes, names, archive bombs, headers, audit. Never a 500."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test.client import encode_multipart

from cases.models import Document
from firm.models import AuditEvent
from tests.conftest import Tenants
from tests.factories import PDF_BYTES, PNG_BYTES, docx_bytes, upload_file

pytestmark = pytest.mark.django_db

BOUNDARY = "----probe-boundary"


def _raw_multipart(client: Any, url: str, filename: str, data: bytes) -> Any:
    """A multipart body with the file name exactly as given (the test client would not send `../`)."""
    body = (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def _upload_url(tenants: Tenants) -> str:
    return f"/api/v1/documents/{tenants.a.document.pk}/upload"


def test_staff_upload_stores_generated_name_and_sha256(tenants: Tenants, api: Any) -> None:
    response = api(tenants.a.paralegal).post(
        _upload_url(tenants), {"file": upload_file(PDF_BYTES, "Passport scan.pdf")}, format="multipart"
    )
    assert response.status_code == 200, response.content
    doc = Document.objects.get(pk=tenants.a.document.pk)
    assert doc.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert doc.original_filename == "Passport scan.pdf"
    assert "Passport" not in doc.file.name and doc.file.name.endswith(".pdf")
    assert (
        doc.status == "uploaded" and response.json()["download_url"] == f"/api/v1/documents/{doc.pk}/download"
    )


@pytest.mark.parametrize(
    "filename",
    ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/abs/path.pdf", "C:\\temp\\x.pdf", "a\x07b.pdf"],
)
def test_path_traversal_names_are_refused(tenants: Tenants, api: Any, filename: str) -> None:
    response = _raw_multipart(api(tenants.a.lawyer), _upload_url(tenants), filename, PDF_BYTES)
    assert response.status_code == 400, response.content
    assert "file" in response.json()["error"]
    assert Document.objects.get(pk=tenants.a.document.pk).status == "requested"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.png"),  # HTML posing as an image
        (
            PNG_BYTES[:8] + b"<html><script>alert(document.cookie)</script></html>",
            "photo.png",
        ),  # PNG-headed HTML
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16 + b"<!DOCTYPE html><html><body>x</body></html>", "photo.jpg"),
        (b"MZ\x90\x00" + b"\x00" * 64, "invoice.pdf"),  # an executable
        (PDF_BYTES, "scan.pdf.exe"),  # content and name disagree
        (b"", "empty.pdf"),
    ],
)
def test_disguised_or_wrong_files_are_refused(tenants: Tenants, api: Any, data: bytes, name: str) -> None:
    response = api(tenants.a.lawyer).post(
        _upload_url(tenants), {"file": upload_file(data, name)}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert "file" in response.json()["error"]


def test_oversized_file_is_refused(tenants: Tenants, api: Any, settings: Any) -> None:
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 50_000
    big = PDF_BYTES + b"%" + b"0" * 60_000
    response = api(tenants.a.lawyer).post(
        _upload_url(tenants), {"file": upload_file(big, "big.pdf")}, format="multipart"
    )
    assert response.status_code == 400
    assert "larger than the limit" in response.json()["error"]["file"]


def test_default_cap_is_20_mb(tenants: Tenants, api: Any) -> None:
    big = PDF_BYTES + b"0" * (20 * 1024 * 1024)
    response = api(tenants.a.lawyer).post(
        _upload_url(tenants), {"file": upload_file(big, "big.pdf")}, format="multipart"
    )
    assert response.status_code == 400
    assert "20 MB" in response.json()["error"]["file"]


def test_docx_zip_bomb_is_refused(tenants: Tenants, api: Any) -> None:
    bomb = docx_bytes(b"<w:document>" + b"A" * (30 * 1024 * 1024) + b"</w:document>", compress_level=9)
    assert len(bomb) < 200_000
    response = api(tenants.a.lawyer).post(
        _upload_url(tenants), {"file": upload_file(bomb, "cv.docx")}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert "compression bomb" in response.json()["error"]["file"]


def test_a_real_docx_is_accepted(tenants: Tenants, api: Any) -> None:
    response = api(tenants.a.lawyer).post(
        _upload_url(tenants), {"file": upload_file(docx_bytes(), "cv.docx")}, format="multipart"
    )
    assert response.status_code == 200, response.content


def test_missing_file_is_a_400_naming_file(tenants: Tenants, api: Any) -> None:
    response = api(tenants.a.lawyer).post(_upload_url(tenants), {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]


def test_download_headers_and_audit(tenants: Tenants, api: Any) -> None:
    doc = tenants.a.document_with_file
    doc.original_filename = 'Pàsspört "scan".pdf'
    doc.save(update_fields=["original_filename"])
    response = api(tenants.a.lawyer).get(f"/api/v1/documents/{doc.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''P%C3%A0ssp%C3%B6rt%20%22scan%22.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action="download", object_id=str(doc.pk), actor=tenants.a.lawyer
    ).exists()


def test_download_without_file_is_a_400(tenants: Tenants, api: Any) -> None:
    response = api(tenants.a.lawyer).get(f"/api/v1/documents/{tenants.a.document.pk}/download")
    assert response.status_code == 400
    assert "file" in response.json()["error"]


def test_client_uploads_requested_document_and_a_new_one(tenants: Tenants, api: Any) -> None:
    client = api(tenants.a.portal_user)
    response = client.post(
        f"/api/v1/me/documents/{tenants.a.document.pk}/upload",
        {"file": upload_file(PNG_BYTES, "photo.png")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "uploaded"
    response = client.post(
        f"/api/v1/me/cases/{tenants.a.case.pk}/documents",
        {"file": upload_file(PDF_BYTES, "letter.pdf"), "kind": "reference_letter", "label": "Letter"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    new = Document.objects.get(pk=response.json()["id"])
    assert new.case == tenants.a.case and new.uploaded_by == tenants.a.portal_user
    download = client.get(f"/api/v1/me/documents/{new.pk}/download")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")


def test_client_upload_attacks_are_refused_too(tenants: Tenants, api: Any) -> None:
    client = api(tenants.a.portal_user)
    url = f"/api/v1/me/cases/{tenants.a.case.pk}/documents"
    assert _raw_multipart(client, url, "../../x.pdf", PDF_BYTES).status_code == 400
    bad = client.post(url, {"file": upload_file(b"<html></html>", "x.png")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["error"]
    assert (
        not Document.objects.filter(case=tenants.a.case, label="")
        .exclude(pk__in=[tenants.a.document.pk])
        .filter(status="uploaded", uploaded_by=tenants.a.portal_user)
        .exists()
    )


def test_client_cannot_touch_another_clients_documents(tenants: Tenants, api: Any) -> None:
    client = api(tenants.b.portal_user)
    assert client.get(f"/api/v1/me/documents/{tenants.a.document_with_file.pk}/download").status_code == 404
    response = client.post(
        f"/api/v1/me/documents/{tenants.a.document.pk}/upload",
        {"file": upload_file(PDF_BYTES, "x.pdf")},
        format="multipart",
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/me/cases/{tenants.a.case.pk}/documents",
        {"file": upload_file(PDF_BYTES, "x.pdf")},
        format="multipart",
    )
    assert response.status_code == 404
    # A client never reaches the staff document API, not even for their own documents.
    assert api(tenants.a.portal_user).get(f"/api/v1/documents/{tenants.a.document.pk}/").status_code == 403


def test_multipart_encoding_helper_sanity() -> None:
    assert b"filename" in encode_multipart(BOUNDARY, {"file": upload_file(PDF_BYTES, "a.pdf")})
