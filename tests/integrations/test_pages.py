"""The integrations pages: firm admins configure sources and endpoints; staff see failed submissions;
everything in English and French."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from integrations.models import IntakeSource, IntakeSubmission, WebhookDelivery, WebhookEndpoint
from tests.integrations import helpers as h
from tests.integrations.helpers import Receiver

pytestmark = pytest.mark.django_db


def _login(user) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def test_admin_creates_a_typeform_source_maps_it_tests_and_replays(
    tenants, django_capture_on_commit_callbacks
):
    admin = _login(tenants.a.admin)
    page = admin.get(reverse("integrations"))
    assert page.status_code == 200 and "Intake sources" in page.content.decode()
    created = admin.post(
        reverse("intake-source-create"), {"source-name": "Website", "source-provider": "typeform"}
    )
    html = created.content.decode()
    source = IntakeSource.objects.get(firm=tenants.a.firm)
    assert created.status_code == 200 and source.secret in html and source.public_id in html
    assert source.secret not in admin.get(reverse("intake-source-detail", args=[source.pk])).content.decode()

    # a submission arrives before the mapping is written: kept as failed, visible on the pages
    body = h.typeform_body()
    HttpClient().post(
        f"/api/v1/intake/sources/{source.public_id}/", data=body, content_type="application/json",
        **h.typeform_headers(source.secret, body),
    )  # fmt: skip
    submission = IntakeSubmission.objects.get()
    assert submission.status == "failed"
    lawyer_page = _login(tenants.a.lawyer).get(reverse("integrations")).content.decode()
    assert submission.external_id in lawyer_page and "identity.first_name" in lawyer_page

    bad = admin.post(
        reverse("intake-source-update", args=[source.pk]), {"name": "Website", "mapping": "{not json"}
    )
    assert bad.status_code == 400 and "Not valid JSON" in bad.content.decode()
    import json

    saved = admin.post(
        reverse("intake-source-update", args=[source.pk]),
        {"name": "Website", "is_active": "on", "mapping": json.dumps(h.TYPEFORM_MAPPING)},
    )
    assert saved.status_code == 302
    test = admin.post(reverse("intake-source-test", args=[source.pk])).content.decode()
    assert "Would create a client" in test and "Laura Tremblay" in test
    assert "<code>first_name</code>" in test  # the answers received, by question reference
    with django_capture_on_commit_callbacks(execute=True):
        replay = admin.post(reverse("intake-submission-replay", args=[submission.pk]))
    assert replay.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "processed" and submission.client is not None
    # lawyers may look but not configure
    assert _login(tenants.a.lawyer).post(reverse("intake-source-test", args=[source.pk])).status_code == 403
    assert _login(tenants.b.admin).get(reverse("intake-source-detail", args=[source.pk])).status_code == 404


def test_admin_adds_an_endpoint_sees_the_log_and_replays(tenants, django_capture_on_commit_callbacks):
    admin = _login(tenants.a.admin)
    with Receiver() as receiver:
        created = admin.post(
            reverse("webhook-endpoint-create"),
            {
                "endpoint-url": receiver.url,
                "endpoint-event_types": ["case.status_changed"],
                "endpoint-is_active": "on",
            },
        )
        endpoint = WebhookEndpoint.objects.get(firm=tenants.a.firm)
        assert created.status_code == 200 and endpoint.secret in created.content.decode()
        from cases.services import case_transition
        from firm.scoping import actor_for_user

        with django_capture_on_commit_callbacks(execute=True):
            case_transition(
                actor=actor_for_user(tenants.a.lawyer), case=tenants.a.case, to_status="assessment"
            )
        page = admin.get(reverse("webhook-endpoint-detail", args=[endpoint.pk])).content.decode()
        assert "A case changed status" in page and ">200<" in page
        assert endpoint.secret not in page
        delivery = WebhookDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            assert admin.post(reverse("webhook-delivery-replay", args=[delivery.pk])).status_code == 302
        assert len(receiver.requests) == 2
    french = admin.get(
        reverse("webhook-endpoint-detail", args=[endpoint.pk]) + "?language=fr"
    ).content.decode()
    assert "Journal des livraisons" in french and "Un dossier a changé de statut" in french
    refused = admin.post(
        reverse("webhook-endpoint-create"),
        {"endpoint-url": "https://10.0.0.9/x", "endpoint-event_types": ["client.created"]},
    )
    assert refused.status_code == 400 and "10.0.0.9" in refused.content.decode()


def test_pages_in_french(tenants):
    admin = _login(tenants.a.admin)
    html = admin.get(reverse("integrations") + "?language=fr").content.decode()
    assert "Sources d&#x27;accueil" in html or "Sources d'accueil" in html
    assert "Points de terminaison webhook" in html and "Intégrations" in html
