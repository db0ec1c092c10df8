"""The staff dashboard pages and forms: they render real data and show errors per field, never a 500."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from firm.models import AuditEvent
from tests.fixtures.web import login, make_draw, make_match, make_score

pytestmark = pytest.mark.django_db


def test_home_shows_caseload_deadlines_documents_draw_and_stuck_alerts(client, world):
    from django.utils import timezone

    from notifications.models import Notification

    make_score(world.client_a, 512, date.today() - timedelta(days=10))
    make_score(world.client_a2, 430, date.today() - timedelta(days=10))
    draw = make_draw("350", date.today() - timedelta(days=2), 505)
    make_match(draw, world.client_a, 512)
    make_match(draw, world.client_b, 600)  # another firm's client flagged by the same draw: not shown
    Notification.objects.create(
        firm=world.firm_a,
        kind="draw_digest",
        recipient_email="lawyer@alder.test",
        dedupe_key="k1",
        status="sending",
        created_at=timezone.now(),
        claimed_at=timezone.now() - timedelta(hours=2),
    )
    login(client, world.lawyer_a)
    r = client.get(reverse("home"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Ana Silva" in html and "Bo Chen" in html  # caseload (mine by default)
    assert "Carl Dube" not in html  # other firm
    assert "Submit medicals" in html and "Police certificate" in html and "3 days overdue" in html
    assert "Passport" in html  # requested document
    assert 'id="flagged"' in html and "512" in html
    assert "stuck" in html
    assert "<svg" in html and "cut-off" in html.lower()


def test_home_filters(client, world):
    login(client, world.lawyer_a)
    r = client.get(reverse("home"), {"q": "Chen"})
    html = r.content.decode()
    assert "Bo Chen" in html and f'href="/clients/{world.client_a.pk}/">Ana Silva' not in html
    r = client.get(reverse("home"), {"status": "filed"})
    assert "No open case matches" in r.content.decode()
    r = client.get(reverse("home"), {"pathway": "express_entry", "lawyer": str(world.lawyer_a.pk)})
    assert "Bo Chen" in r.content.decode()
    r = client.get(reverse("home"), {"lawyer": "nonsense"})
    assert r.status_code == 200


def test_home_without_any_score_or_draw_renders_gracefully(client, world):
    login(client, world.admin_a)
    r = client.get(reverse("home"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "No draw recorded yet" in html and "No scores yet" in html


def test_client_page_shows_facts_score_breakdown_whatif_history_and_matches(client, world):
    make_score(world.client_a, 470, date.today() - timedelta(days=200), current=False)
    make_score(world.client_a, 512, date.today() - timedelta(days=10))
    draw = make_draw("351", date.today() - timedelta(days=3), 505)
    make_match(draw, world.client_a, 512)
    login(client, world.lawyer_a)
    r = client.get(reverse("client-detail", args=[world.client_a.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "IELTS" in html and "CLB" in html and "Computer science" in html and "Software engineer" in html
    assert "512" in html and "Age" in html and "First official language: listening" in html
    assert "#351" in html
    assert html.count('class="draw"') >= 1  # history chart marks the draw
    assert "No score history yet" not in html


def test_client_edit_saves_through_service_and_audits(client, world):
    login(client, world.lawyer_a)
    url = reverse("client-edit", args=[world.client_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="Ana"' in page.content.decode()
    data = {
        "first_name": "Ana Maria",
        "last_name": "Silva",
        "marital_status": "single",
        "status": "active",
        "preferred_language": "fr",
        "email": "ana@example.test",
        "assigned_lawyer": str(world.lawyer_a.pk),
    }
    r = client.post(url, data)
    assert r.status_code == 302
    world.client_a.refresh_from_db()
    assert world.client_a.first_name == "Ana Maria" and world.client_a.preferred_language == "fr"
    event = AuditEvent.objects.filter(action="update", object_type="firm.client").latest("pk")
    assert event.changes["first_name"] == "Ana Maria"


def _client_edit_data(world, **extra):
    return {
        "first_name": "Ana",
        "last_name": "Silva",
        "marital_status": "single",
        "status": "active",
        "preferred_language": "en",
        "assigned_lawyer": str(world.lawyer_a.pk),
        **extra,
    }


def test_client_edit_funds_family_size_and_province(client, world):
    login(client, world.lawyer_a)
    url = reverse("client-edit", args=[world.client_a.pk])
    page = client.get(url).content.decode()
    assert 'name="settlement_funds_cad"' in page and 'name="family_size"' in page
    assert 'name="intended_province"' in page
    assert "Funds the client can show; empty = not known yet." in page
    detail = reverse("client-detail", args=[world.client_a.pk])
    assert client.get(detail).content.decode().count("not known yet") == 3

    r = client.post(
        url,
        _client_edit_data(world, settlement_funds_cad="15263.50", family_size="2", intended_province="ON"),
    )
    assert r.status_code == 302
    world.client_a.refresh_from_db()
    assert world.client_a.settlement_funds_cad == Decimal("15263.50")
    assert world.client_a.family_size == 2 and world.client_a.intended_province == "ON"
    event = AuditEvent.objects.filter(action="update", object_type="firm.client").latest("pk")
    assert {"settlement_funds_cad", "family_size", "intended_province"} <= set(event.changes)
    html = client.get(detail).content.decode()
    assert "15,263.50 $ CAD" in html and "Ontario" in html
    assert '<dd id="client-family-size">2</dd>' in html

    # emptied again: "not known yet" (None), not zero
    r = client.post(url, _client_edit_data(world))
    assert r.status_code == 302
    world.client_a.refresh_from_db()
    assert world.client_a.settlement_funds_cad is None and world.client_a.family_size is None
    assert world.client_a.intended_province == ""


def test_client_edit_negative_funds_is_a_field_error(client, world):
    login(client, world.lawyer_a)
    url = reverse("client-edit", args=[world.client_a.pk])
    r = client.post(
        url, _client_edit_data(world, settlement_funds_cad="-1", family_size="0", intended_province="XX")
    )
    assert r.status_code == 400
    form = r.context["form"]
    assert set(form.errors) == {"settlement_funds_cad", "family_size", "intended_province"}
    assert 'id="id_settlement_funds_cad-error"' in r.content.decode()
    world.client_a.refresh_from_db()
    assert world.client_a.settlement_funds_cad is None


def test_client_edit_errors_are_per_field(client, world):
    login(client, world.lawyer_a)
    url = reverse("client-edit", args=[world.client_a.pk])
    r = client.post(
        url,
        {
            "first_name": "",
            "last_name": "S",
            "marital_status": "bogus",
            "status": "active",
            "preferred_language": "en",
            "email": "not-an-email",
            "assigned_lawyer": str(world.lawyer_b.pk),
        },
    )
    assert r.status_code == 400
    form = r.context["form"]
    assert {"first_name", "marital_status", "email", "assigned_lawyer"} <= set(form.errors)


def test_fact_create_update_delete(client, world):
    login(client, world.paralegal_a)
    url = reverse("fact-create", args=[world.client_a.pk, "language_test"])
    data = {
        "person": "principal",
        "test": "celpip",
        "test_date": "2025-01-10",
        "role": "first",
        "listening": "9",
        "reading": "9",
        "writing": "9",
        "speaking": "9",
    }
    assert client.post(url, data).status_code == 302
    test = world.client_a.languagetests.get(test="celpip")
    edit = reverse("fact-edit", args=[world.client_a.pk, "language_test", test.pk])
    assert (
        'value="9.0"' in client.get(edit).content.decode() or 'value="9"' in client.get(edit).content.decode()
    )
    assert client.post(edit, {**data, "writing": "10"}).status_code == 302
    test.refresh_from_db()
    assert test.writing == 10
    assert (
        client.post(reverse("fact-delete", args=[world.client_a.pk, "language_test", test.pk])).status_code
        == 302
    )
    assert not world.client_a.languagetests.filter(test="celpip").exists()


def test_fact_form_errors_are_per_field_never_500(client, world):
    login(client, world.lawyer_a)
    url = reverse("fact-create", args=[world.client_a.pk, "work_experience"])
    r = client.post(
        url,
        {
            "person": "principal",
            "noc_code": "12",
            "teer": "9",
            "start_date": "2024-05-01",
            "end_date": "2023-01-01",
            "hours_per_week": "40",
        },
    )
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert "noc_code" in errors and "teer" in errors and "end_date" in errors
    assert client.get(reverse("fact-create", args=[world.client_a.pk, "nonsense"])).status_code == 404


def test_open_case_and_invite_to_portal(client, world):
    from firm.models import Client

    login(client, world.lawyer_a)
    r = client.post(
        reverse("case-create", args=[world.client_a.pk]), {"pathway": "gts", "stream": "Category B"}
    )
    assert r.status_code == 302
    assert world.client_a.cases.filter(pathway="gts").exists()
    c = Client.objects.create(
        firm=world.firm_a, first_name="New", last_name="Person", email="new.person@example.test"
    )
    assert client.post(reverse("client-invite", args=[c.pk])).status_code == 302
    c.refresh_from_db()
    assert c.portal_user is not None


def test_client_list_search(client, world):
    login(client, world.lawyer_a)
    html = client.get(reverse("client-list"), {"q": "silva"}).content.decode()
    assert "Ana Silva" in html and "Bo Chen" not in html and "Carl" not in html
