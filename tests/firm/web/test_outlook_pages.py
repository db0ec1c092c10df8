"""The ITA outlook on the client page, the dashboard and the portal (EN and FR), with the caveat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from scoring.models import ClientOutlook, Eligibility
from scoring.services.draws import draws_sync
from scoring.services.outlook import outlooks_recompute
from tests.fixtures.web import login, make_score

pytestmark = pytest.mark.django_db
AS_OF = date(2024, 7, 4)
CAVEAT_EN = "IRCC alone decides"
CAVEAT_FR = "IRCC seul décide"


@pytest.fixture
def outlooks(world):
    draws_sync(snapshot=True, flag="none")
    make_score(world.client_a, 540, date.today() - timedelta(days=3))
    make_score(world.client_a2, 300, date.today() - timedelta(days=3))
    make_score(world.client_b, 600, date.today() - timedelta(days=3))
    for c in (world.client_a, world.client_a2, world.client_b):
        Eligibility.objects.create(firm=c.firm, client=c, program="cec", outcome="eligible", as_of=AS_OF)
    outlooks_recompute(as_of=AS_OF)
    return world


def test_client_page_shows_rank_outlook_kinds_and_caveat(client, outlooks):
    w = outlooks
    row = ClientOutlook.objects.get(client=w.client_a)
    login(client, w.lawyer_a)
    html = client.get(reverse("client-detail", args=[w.client_a.pk])).content.decode()
    assert 'id="outlook"' in html and "Invitation outlook" in html
    assert f"{round(row.p_90 * 100)}%" in html or "&lt;1%" in html or "&gt;99%" in html
    assert "Canadian Experience Class" in html and "General (all programs)" in html
    assert f"{row.candidates_above} candidates above" in html
    assert f"Pool movement: {row.candidates_above_before} candidates" in html
    assert "nomination" in html.lower()  # what-if line with its outlook
    assert "What each improvement would give" in html
    assert CAVEAT_EN in html


def test_dashboard_lists_most_likely_clients_of_own_firm_only(client, outlooks):
    w = outlooks
    login(client, w.lawyer_a)
    html = client.get(reverse("home")).content.decode()
    section = html[html.index('id="outlook-top"') :]
    assert "Ana Silva" in section or "Silva" in section
    assert "Dube" not in section  # firm B's client
    assert CAVEAT_EN in section


def test_portal_shows_own_outlook_in_english_and_french(client, outlooks):
    w = outlooks
    row = ClientOutlook.objects.get(client=w.client_a)
    login(client, w.client_a.portal_user)
    html = client.get(reverse("home") + "?language=en").content.decode()
    assert "My invitation outlook" in html and CAVEAT_EN in html
    assert f"CRS score of {row.score}" in html
    fr = client.get(reverse("home") + "?language=fr").content.decode()
    assert "Mes perspectives d’invitation" in fr and CAVEAT_FR in fr
    score_page = client.get(reverse("portal-score") + "?language=fr").content.decode()
    assert CAVEAT_FR in score_page


def test_no_outlook_yet(client, world):
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[world.client_a.pk])).content.decode()
    assert "No outlook yet" in html and CAVEAT_EN in html
