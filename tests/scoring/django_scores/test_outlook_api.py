"""The outlook API (issue 12): past rounds cleared as of each round's date, and the 2026 proposed-rules
comparison that a firm switches on (never used for flagging)."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from firm.models import Firm, JobOffer, User
from scoring.models import DrawMatch
from scoring.services.draws import draws_sync_snapshot

from .conftest import seed_client
from .test_past_rounds import _seed_in_2020

pytestmark = pytest.mark.django_db


def _staff(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_past_rounds_action(world):
    client = _seed_in_2020(world)
    draws_sync_snapshot(flag="none")
    api = _staff(world.lawyer)
    r = api.get(f"/api/v1/clients/{client.pk}/past-rounds?since=2020-12-01&until=2020-12-31")
    assert r.status_code == 200, r.content
    numbers = [x["draw_number"] for x in r.json()["rounds"]]
    assert "170" in numbers
    r170 = next(x for x in r.json()["rounds"] if x["draw_number"] == "170")
    assert r170["min_crs"] == 468 and r170["score"] > 468 and r170["draw_date"] == "2020-12-23"
    assert api.get(f"/api/v1/clients/{client.pk}/past-rounds?since=2020-13-01").status_code == 400
    assert _staff(world.other_lawyer).get(f"/api/v1/clients/{client.pk}/past-rounds").status_code == 404
    assert not DrawMatch.objects.exists()


def test_proposed_comparison_is_switched_on_by_the_firm(world):
    client = seed_client(world.firm, dob=date(1990, 1, 1), test_date=date.today().replace(day=1))
    JobOffer.objects.filter(client=client).update(noc_code="20012", teer=0)  # a 2x high-wage occupation
    api = _staff(world.lawyer)
    off = api.get(f"/api/v1/clients/{client.pk}/score/proposed")
    assert off.status_code == 409 and "compare_proposed_crs" in off.json()["error"]
    Firm.objects.filter(pk=world.firm.pk).update(compare_proposed_crs=True)
    on = api.get(f"/api/v1/clients/{client.pk}/score/proposed")
    assert on.status_code == 200, on.content
    body = on.json()
    assert body["status"] == "proposed" and body["in_force"] is False
    assert body["proposed"]["high_wage_occupation"]["noc"] == "20012"
    assert body["difference"] == body["proposed"]["total"] - body["current"]["total"]
    assert "hwo_points" in body["unverified"]
    assert _staff(world.other_lawyer).get(f"/api/v1/clients/{client.pk}/score/proposed").status_code == 404


def test_firm_admin_switches_the_comparison_on(world):
    admin = User.objects.create_user(email="admin@maple.test", password="pw-123456789")
    from firm.models import Membership

    Membership.objects.create(user=admin, firm=world.firm, role="admin")
    r = _staff(admin).patch("/api/v1/firm/", {"compare_proposed_crs": True}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["compare_proposed_crs"] is True
    assert Firm.objects.get(pk=world.firm.pk).compare_proposed_crs


def test_client_page_shows_the_comparison_only_when_switched_on(world, client):
    scored = seed_client(world.firm, dob=date(1990, 1, 1), test_date=date.today().replace(day=1))
    JobOffer.objects.filter(client=scored).update(noc_code="20012", teer=0)
    client.force_login(world.lawyer)
    page = client.get(f"/clients/{scored.pk}/")
    assert page.status_code == 200
    assert "2026 proposed rules" not in page.content.decode()
    Firm.objects.filter(pk=world.firm.pk).update(compare_proposed_crs=True)
    html = client.get(f"/clients/{scored.pk}/").content.decode()
    assert "2026 proposed rules" in html and "NOC 20012" in html
