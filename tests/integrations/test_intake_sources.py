"""Intake sources: each provider's real payload shape, its own signature, idempotency, failures kept.

Bodies are posted to `/api/v1/intake/sources/{public_id}/` through Django's test client exactly as the
provider sends them (raw bytes). Signatures are computed in tests/integrations/helpers.py by hand.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as HttpClient

from cases.models import Case
from firm.models import AuditEvent, Client, LanguageTest
from firm.scoping import actor_for_user
from integrations.models import IntakeSubmission
from integrations.services import intake as services
from pathways.models import PathwayAssessment as Assessment
from scoring.models import CRSScore
from tests.conftest import Tenants
from tests.integrations import helpers as h

pytestmark = pytest.mark.django_db


def _source(tenants: Tenants, provider: str, mapping: dict[str, str], **extra: Any):
    actor = actor_for_user(tenants.a.admin)
    return services.source_create(
        actor=actor, name=f"{provider} form", provider=provider, mapping=mapping, **extra
    )


def _post(source, body: bytes, headers: dict[str, str], *, content_type="application/json", query=""):
    url = f"/api/v1/intake/sources/{source.public_id}/{query}"
    return HttpClient().post(url, data=body, content_type=content_type, **headers)


# --- Typeform ------------------------------------------------------------------------------------------------


def test_typeform_valid_signature_creates_client_case_score_and_redelivery_creates_nothing(
    tenants, django_capture_on_commit_callbacks
):
    source, secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    body = h.typeform_body(token="tf-token-001")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(source, body, h.typeform_headers(secret, body))
    assert response.status_code == 201, response.content
    data = response.json()
    client = Client.objects.get(pk=data["client_id"], firm=tenants.a.firm)
    assert (client.first_name, client.last_name, str(client.date_of_birth)) == (
        "Laura",
        "Tremblay",
        "1992-04-17",
    )
    assert list(client.citizenships) == ["FR"] and client.email == "laura@example.test"
    assert client.source == "typeform: typeform form"
    test = LanguageTest.objects.get(client=client)
    assert (test.test, float(test.listening)) == ("ielts", 8.5)
    assert client.educations.get().level == "masters"
    assert client.workexperiences.get().noc_code == "21231"
    assert Case.objects.get(pk=data["case_id"]).client_id == client.pk
    # after commit (eager tasks): the CRS score and the assessments of the case
    assert CRSScore.objects.get(client=client, is_current=True).total > 0
    assert Assessment.objects.filter(case_id=data["case_id"]).exists()

    again = _post(source, body, h.typeform_headers(secret, body))  # the provider redelivers
    assert again.status_code == 201 and again.json() == data
    assert Client.objects.filter(email="laura@example.test").count() == 1
    assert IntakeSubmission.objects.filter(source=source).count() == 1


@pytest.mark.parametrize("signature", ["sha256=" + "A" * 44, "", "sha256=", None])
def test_typeform_bad_or_missing_signature_is_401_logged_and_not_stored(tenants, signature):
    source, _secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    body = h.typeform_body()
    headers = {} if signature is None else {"HTTP_TYPEFORM_SIGNATURE": signature}
    response = _post(source, body, headers)
    assert response.status_code == 401
    assert "signature" in response.json()["error"]
    assert (
        not IntakeSubmission.objects.exists()
        and not Client.objects.filter(email="laura@example.test").exists()
    )
    event = AuditEvent.objects.get(action="signature_rejected")
    assert event.firm_id == tenants.a.firm.pk and event.object_id == str(source.pk)


def test_typeform_signature_of_another_body_is_refused(tenants):
    source, secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    body = h.typeform_body()
    tampered = body.replace(b"Laura", b"Mallory")
    assert _post(source, tampered, h.typeform_headers(secret, body)).status_code == 401
    assert _post(source, body, h.typeform_headers("wrong-secret", body)).status_code == 401


def test_unmappable_submission_is_kept_failed_then_replayed_after_the_mapping_is_fixed(tenants, api):
    mapping = {**h.TYPEFORM_MAPPING, "identity.date_of_birth": "birthday"}  # wrong ref: no date of birth
    source, secret = _source(tenants, "typeform", mapping)
    body = h.typeform_body(token="tf-unmappable")
    response = _post(source, body, h.typeform_headers(secret, body))
    assert response.status_code == 202
    assert "identity.date_of_birth" in response.json()["errors"]
    submission = IntakeSubmission.objects.get(source=source)
    assert submission.status == "failed" and "identity.date_of_birth" in submission.errors
    assert not Client.objects.filter(email="laura@example.test").exists()
    # the provider redelivers: same answer, still nothing created
    assert _post(source, body, h.typeform_headers(secret, body)).json() == response.json()

    # staff see it (a lawyer too), the admin fixes the mapping and replays it
    listed = api(tenants.a.lawyer).get("/api/v1/intake-submissions/?status=failed").json()
    assert [row["id"] for row in listed["results"]] == [submission.pk]
    admin = api(tenants.a.admin)
    preview = admin.post(f"/api/v1/intake-sources/{source.pk}/preview/").json()
    assert preview["valid"] is False and "identity.date_of_birth" in preview["errors"]
    fixed = admin.patch(
        f"/api/v1/intake-sources/{source.pk}/", {"mapping": h.TYPEFORM_MAPPING}, format="json"
    )
    assert fixed.status_code == 200, fixed.content
    preview = admin.post(f"/api/v1/intake-sources/{source.pk}/preview/").json()
    assert preview["valid"] is True and preview["summary"]["name"] == "Laura Tremblay"
    assert not Client.objects.filter(email="laura@example.test").exists()  # the test button writes nothing
    assert (
        api(tenants.a.lawyer).post(f"/api/v1/intake-submissions/{submission.pk}/replay/").status_code == 403
    )
    replay = admin.post(f"/api/v1/intake-submissions/{submission.pk}/replay/")
    assert replay.status_code == 200 and replay.json()["submission_status"] == "processed"
    client = Client.objects.get(email="laura@example.test")
    submission.refresh_from_db()
    assert submission.status == "processed" and submission.client_id == client.pk and submission.errors == {}
    # a later redelivery answers with the processed result
    again = _post(source, body, h.typeform_headers(secret, body))
    assert again.status_code == 201 and again.json()["client_id"] == client.pk
    assert admin.post(f"/api/v1/intake-submissions/{submission.pk}/replay/").status_code == 400


def test_impossible_value_is_named_and_kept(tenants):
    source, secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    body = h.typeform_body(dob="1992-02-31")
    response = _post(source, body, h.typeform_headers(secret, body))
    assert response.status_code == 202
    assert "identity.date_of_birth" in response.json()["errors"]
    assert IntakeSubmission.objects.get().status == "failed"


def test_result_is_the_same_as_the_rest_intake(tenants, api, django_capture_on_commit_callbacks):
    """The same prospect through a source and through POST /api/v1/intake/: same facts, case and score."""
    source, secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    body = h.typeform_body()
    with django_capture_on_commit_callbacks(execute=True):
        via_source = _post(source, body, h.typeform_headers(secret, body)).json()
    payload = services.source_preview(actor=actor_for_user(tenants.a.admin), source=source)["payload"]
    payload["contact"]["email"] = "laura2@example.test"
    with django_capture_on_commit_callbacks(execute=True):
        via_rest = api(tenants.a.admin).post("/api/v1/intake/", payload, format="json")
    assert via_rest.status_code == 201, via_rest.content
    a = Client.objects.get(pk=via_source["client_id"])
    b = Client.objects.get(pk=via_rest.json()["client_id"])
    facts = lambda c: (  # noqa: E731
        list(c.languagetests.values_list("test", "listening", "reading", "writing", "speaking")),
        list(c.educations.values_list("level", "country")),
        list(c.workexperiences.values_list("noc_code", "teer", "start_date", "end_date")),
        list(c.cases.values_list("pathway", "status")),
    )
    assert facts(a) == facts(b)
    score = lambda c: CRSScore.objects.get(client=c, is_current=True).total  # noqa: E731
    assert score(a) == score(b) > 0
    assessments = lambda c: sorted(  # noqa: E731
        Assessment.objects.filter(case__client=c).values_list("pathway", "stream", "outcome")
    )
    assert assessments(a) == assessments(b) != []


# --- Tally ---------------------------------------------------------------------------------------------------


def test_tally_signed_submission_with_choice_options_and_value_map(tenants):
    source, secret = _source(
        tenants, "tally", h.TALLY_MAPPING, value_map={"marital_status": {"Célibataire": "single"}}
    )
    body = h.tally_body(response_id="w2k9Qx")
    response = _post(source, body, h.tally_headers(secret, body))
    assert response.status_code == 201, response.content
    client = Client.objects.get(pk=response.json()["client_id"])
    assert (client.first_name, client.last_name, client.marital_status) == ("Jean", "Dupont", "single")
    assert LanguageTest.objects.get(client=client).test == "tef"
    assert _post(source, body, h.tally_headers(secret, body)).json() == response.json()
    assert IntakeSubmission.objects.get().external_id == "w2k9Qx"


def test_tally_bad_and_missing_signature(tenants):
    source, _secret = _source(tenants, "tally", h.TALLY_MAPPING)
    body = h.tally_body()
    assert _post(source, body, {}).status_code == 401
    assert _post(source, body, h.tally_headers("not-the-secret", body)).status_code == 401
    assert not IntakeSubmission.objects.exists()
    assert AuditEvent.objects.filter(action="signature_rejected").count() == 2


# --- Jotform -------------------------------------------------------------------------------------------------


def test_jotform_multipart_with_token_in_url(tenants):
    source, token = _source(tenants, "jotform", h.JOTFORM_MAPPING)
    assert len(token) >= 40
    fields = h.jotform_fields(submission_id="5912345678901234567")
    client = HttpClient()
    url = f"/api/v1/intake/sources/{source.public_id}/?token={token}"
    response = client.post(url, data=fields)  # multipart/form-data, as Jotform posts
    assert response.status_code == 201, response.content
    created = Client.objects.get(pk=response.json()["client_id"])
    assert (created.first_name, str(created.date_of_birth), list(created.citizenships)) == (
        "Amina",
        "1995-07-21",
        ["SN"],
    )
    test = LanguageTest.objects.get(client=created)
    assert (test.test, str(test.test_date)) == ("celpip", "2025-08-15")
    assert client.post(url, data=fields).json() == response.json()
    assert Client.objects.filter(email="amina@example.test").count() == 1


def test_jotform_urlencoded_and_bad_or_missing_token(tenants):
    source, token = _source(tenants, "jotform", h.JOTFORM_MAPPING)
    body = h.jotform_urlencoded(h.jotform_fields())
    ctype = "application/x-www-form-urlencoded"
    assert _post(source, body, {}, content_type=ctype).status_code == 401
    assert _post(source, body, {}, content_type=ctype, query="?token=" + "x" * 43).status_code == 401
    assert not IntakeSubmission.objects.exists()
    assert _post(source, body, {}, content_type=ctype, query=f"?token={token}").status_code == 201


# --- generic (Standard Webhooks) ------------------------------------------------------------------------------


def test_generic_standard_webhooks(tenants):
    source, secret = _source(tenants, "generic", h.GENERIC_MAPPING)
    assert secret.startswith("whsec_")
    body = h.generic_body()
    response = _post(source, body, h.standard_headers_by_hand(secret, "msg_2Lh9", body))
    assert response.status_code == 201, response.content
    assert IntakeSubmission.objects.get().external_id == "msg_2Lh9"
    assert _post(source, body, h.standard_headers_by_hand(secret, "msg_2Lh9", body)).json() == response.json()
    # missing headers, another secret, a stale timestamp (replay protection)
    assert _post(source, body, {}).status_code == 401
    other = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    assert _post(source, body, h.standard_headers_by_hand(other, "msg_x", body)).status_code == 401
    stale = h.standard_headers_by_hand(secret, "msg_old", body, ts=1_600_000_000)
    assert _post(source, body, stale).status_code == 401
    assert IntakeSubmission.objects.count() == 1


# --- Edges ---------------------------------------------------------------------------------------------------


def test_unknown_or_inactive_source_is_404_and_unreadable_body_is_400(tenants, api):
    source, secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    assert (
        HttpClient()
        .post("/api/v1/intake/sources/doesnotexist123/", data=b"{}", content_type="application/json")
        .status_code
        == 404
    )
    body = b'{"event_type": "form_response"}'
    response = _post(source, body, h.typeform_headers(secret, body))
    assert response.status_code == 400 and "form_response" in response.json()["error"]
    api(tenants.a.admin).patch(f"/api/v1/intake-sources/{source.pk}/", {"is_active": False}, format="json")
    body = h.typeform_body()
    assert _post(source, body, h.typeform_headers(secret, body)).status_code == 404


def test_sources_api_admin_only_secret_shown_once_and_mapping_validated(tenants, api):
    admin = api(tenants.a.admin)
    created = admin.post("/api/v1/intake-sources/", {"name": "Site", "provider": "tally"}, format="json")
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret and created.json()["receive_url"].endswith(
        f"/api/v1/intake/sources/{created.json()['public_id']}/"
    )
    detail = admin.get(f"/api/v1/intake-sources/{created.json()['id']}/").json()
    assert "secret" not in detail and secret not in json.dumps(detail)
    bad = admin.patch(
        f"/api/v1/intake-sources/{created.json()['id']}/",
        {"mapping": {"identity.shoe_size": "q1"}},
        format="json",
    )
    assert bad.status_code == 400 and "mapping" in bad.json()["error"]
    assert (
        api(tenants.a.lawyer)
        .post("/api/v1/intake-sources/", {"name": "x", "provider": "tally"}, format="json")
        .status_code
        == 403
    )
    assert api(tenants.b.admin).get(f"/api/v1/intake-sources/{created.json()['id']}/").status_code == 404
    jot = admin.post("/api/v1/intake-sources/", {"name": "J", "provider": "jotform"}, format="json").json()
    assert jot["receive_url_with_token"].endswith(f"?token={jot['secret']}")


def test_a_flood_of_posts_is_throttled_per_sender(tenants, settings):
    from django.core.cache import cache

    cache.clear()
    settings.INTAKE_SOURCE_THROTTLE_RATE = "3/min"
    source, _secret = _source(tenants, "typeform", h.TYPEFORM_MAPPING)
    body = h.typeform_body()
    codes = [_post(source, body, {}).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert AuditEvent.objects.filter(action="signature_rejected").count() == 3
    cache.clear()
