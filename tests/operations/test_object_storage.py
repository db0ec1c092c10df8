"""Documents on S3-compatible object storage: moto's S3 server (a real HTTP S3 implementation, started
on a free port) stands in for AWS ca-central-1 or a Canadian-hosted S3-compatible service.

Uploads land under the configured prefix with a private ACL and server-side encryption; downloads stream
through the permission-checked, audited view; any URL the storage makes is signed and short-lived.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
from django.test import override_settings

from cases import services
from firm.models import AuditEvent
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db
BUCKET = "maplecase-test-documents"
CREDS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "ca-central-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch) -> Iterator[object]:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = boto3.client("s3", endpoint_url=s3_endpoint, **CREDS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
    from config.settings.operations import private_storage

    env = _env(
        DOCUMENTS_S3_BUCKET=BUCKET,
        DOCUMENTS_S3_ENDPOINT_URL=s3_endpoint,
        DOCUMENTS_S3_ACCESS_KEY_ID="testing",
        DOCUMENTS_S3_SECRET_ACCESS_KEY="testing",
        DOCUMENTS_S3_SSE="AES256",
    )
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "private": private_storage(env)}):
        yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _env(**values: str):
    import environ

    class Env(environ.Env):
        def __call__(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
            if var in values:
                return values[var]
            if default is environ.Env.NOTSET:
                raise KeyError(var)
            return default

        def int(self, var, default=environ.Env.NOTSET):
            return int(values.get(var, default))

    return Env()


def test_settings_default_to_private_signed_ca_central_1():
    from config.settings.operations import private_storage

    assert private_storage(_env())["BACKEND"] == "cases.storage.PrivateFileSystemStorage"
    entry = private_storage(_env(DOCUMENTS_S3_BUCKET="firm-docs"))
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["region_name"] == "ca-central-1"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300 and options["file_overwrite"] is False
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}
    assert options["endpoint_url"] is None and options["location"] == "documents"


def test_upload_is_private_encrypted_and_downloads_through_the_checked_view(office, s3, client):
    doc = services.document_create_with_file(
        actor=office.actor(),
        case=office.case,
        kind="passport",
        file=io.BytesIO(PDF_BYTES),
        filename="passport.pdf",
        size=len(PDF_BYTES),
    )
    key = f"documents/{doc.file.name}"
    assert doc.file.name.startswith(f"firm-{office.firm.pk}/case-{office.case.pk}/")
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentLength"] == len(PDF_BYTES) and head["ServerSideEncryption"] == "AES256"
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == [
        "FULL_CONTROL"
    ]  # owner only: no public or authenticated-read
    assert all(g["Grantee"].get("URI") is None for g in grants)

    client.force_login(office.lawyer)
    response = client.get(f"/documents/{doc.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="download", object_id=str(doc.pk)).exists()

    outsider_office = type(office)()
    client.force_login(outsider_office.lawyer)
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 404  # scoped: another firm's document


def test_storage_urls_are_signed_and_short_lived(office, s3):
    from cases.storage import private_backend

    doc = services.document_create_with_file(
        actor=office.actor(),
        case=office.case,
        kind="passport",
        file=io.BytesIO(PDF_BYTES),
        filename="passport.pdf",
        size=len(PDF_BYTES),
    )
    url = private_backend().url(doc.file.name)
    query = parse_qs(urlparse(url).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert requests.get(url, timeout=10).content == PDF_BYTES


def test_readyz_reaches_the_bucket(client, s3, settings):
    response = client.get("/readyz")
    assert response.json()["checks"]["storage"]["detail"] == f"ok (bucket {BUCKET})"
    options = {**settings.STORAGES["private"]["OPTIONS"], "bucket_name": "no-such-bucket"}
    with override_settings(
        STORAGES={**settings.STORAGES, "private": {**settings.STORAGES["private"], "OPTIONS": options}}
    ):
        response = client.get("/readyz")
    assert response.status_code == 503 and not response.json()["checks"]["storage"]["ok"]
