"""REST: the calculator, a client's stored score, history, what-if, eligibility, recompute, /me/score."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from firm.models import ApiKey, Client, User
from firm.scoping import SYSTEM
from firm.services import api_key_create
from scoring.services.scores import client_recompute

from .conftest import celpip, foreign_degree, recent

pytestmark = pytest.mark.django_db

SEED = {
    "as_of": "2023-07-01",
    "age": 38,
    "education": "two_or_more",
    "first_language": {"test": "celpip", "listening": 10, "reading": 10, "writing": 10, "speaking": 10},
    "foreign_work_years": 3,
    "arranged_employment": "other_teer_0_1_2_3",
}


def _client(firm, today) -> Client:
    client = Client.objects.create(
        firm=firm, first_name="Ana", last_name="Silva", date_of_birth=date(1993, 3, 3)
    )
    foreign_degree(client, "masters", date(2015, 6, 1), eca=recent(today, 100))
    celpip(client, 8, recent(today, 30))
    return client


def _staff(user: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _key(firm, scopes) -> APIClient:
    public_id, raw = ApiKey.generate()
    ApiKey.objects.create(
        firm=firm, name="k", public_id=public_id, key_hash=ApiKey.hash_secret(raw), scopes=scopes
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return api


def test_calculator_200_and_400_with_field_paths(world):
    api = _staff(world.lawyer)
    ok = api.post("/api/v1/crs/score", SEED, format="json")
    assert ok.status_code == 200 and ok.json()["total"] == 475
    bad = api.post(
        "/api/v1/crs/score",
        {**SEED, "first_language": {**SEED["first_language"], "writing": 13}, "education": "phd-ish"},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()["error"]) == {"first_language.writing", "education"}
    not_object = api.post("/api/v1/crs/score", [1], format="json")
    assert not_object.status_code == 400


def test_calculator_whatif(world):
    r = _staff(world.lawyer).post("/api/v1/crs/whatif", SEED, format="json")
    assert r.status_code == 200
    items = r.json()["improvements"]
    assert items and all(i["delta"] > 0 for i in items)
    assert items == sorted(items, key=lambda i: -i["delta"])


def test_api_keys_and_scopes(world):
    _key_row, raw = api_key_create(actor=SYSTEM, firm=world.firm, name="calc", scopes=["crs"])
    crs = APIClient()
    crs.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert crs.post("/api/v1/crs/score", SEED, format="json").status_code == 200
    assert _key(world.firm, []).post("/api/v1/crs/score", SEED, format="json").status_code == 403
    client = _client(world.firm, date.today())
    assert crs.get(f"/api/v1/clients/{client.pk}/score").status_code == 403  # crs scope reads no clients
    assert APIClient().post("/api/v1/crs/score", SEED, format="json").status_code in (401, 403)


def test_client_score_history_whatif_eligibility(world):
    today = date.today()
    client = _client(world.firm, today)
    api = _staff(world.lawyer)
    assert api.get(f"/api/v1/clients/{client.pk}/score").status_code == 404
    r = api.post(f"/api/v1/clients/{client.pk}/score/recompute")
    assert r.status_code == 200 and r.json()["score"]["total"] > 0 and r.json()["missing"] == []
    score = api.get(f"/api/v1/clients/{client.pk}/score").json()
    assert score["breakdown"]["first_language.total"] > 0
    assert score["profile"]["first_language"]["test"] == "celpip"
    assert set(score["sections"]) == {"core", "spouse", "transferability", "additional"}
    history = api.get(f"/api/v1/clients/{client.pk}/score/history").json()
    assert history["count"] == 1 and history["results"][0]["total"] == score["total"]
    whatif = api.get(f"/api/v1/clients/{client.pk}/score/whatif").json()
    assert any(i["label"] == "CLB 9 in writing" for i in whatif["improvements"])
    elig = api.get(f"/api/v1/clients/{client.pk}/eligibility").json()
    assert {p["program"] for p in elig["programs"]} == {"fsw", "cec", "fst"}
    assert elig["category_versions"][0]["current"] is True
    assert {v["version"] for v in elig["category_versions"]} == {"2023-v1", "2025-v2", "2026"}
    read_key = _key(world.firm, ["read"])
    assert read_key.get(f"/api/v1/clients/{client.pk}/score").status_code == 200
    assert read_key.post(f"/api/v1/clients/{client.pk}/score/recompute").status_code == 403


def test_no_score_says_what_is_missing(world):
    client = Client.objects.create(
        firm=world.firm, first_name="N", last_name="O", date_of_birth=date(1990, 1, 1)
    )
    r = _staff(world.lawyer).get(f"/api/v1/clients/{client.pk}/score")
    assert r.status_code == 404
    assert "language test" in r.json()["error"]["detail"]


def test_another_firms_client_is_404(world):
    client = _client(world.firm, date.today())
    client_recompute(client_id=client.pk)
    other = _staff(world.other_lawyer)
    for path in ("score", "score/history", "score/whatif", "eligibility"):
        assert other.get(f"/api/v1/clients/{client.pk}/{path}").status_code == 404
    assert other.post(f"/api/v1/clients/{client.pk}/score/recompute").status_code == 404


def test_me_score_for_a_logged_in_client(world):
    client = _client(world.firm, date.today())
    portal = User.objects.create_user(email="ana@example.test", password="pw-123456789")
    Client.objects.filter(pk=client.pk).update(portal_user=portal)
    api = _staff(portal)
    assert api.get("/api/v1/me/score").status_code == 404
    client_recompute(client_id=client.pk)
    r = api.get("/api/v1/me/score")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] > 0 and body["breakdown"] and body["improvements"]
    assert "profile" not in body and "client_id" not in body
    # a client may not use the staff endpoints, even for themselves
    assert api.get(f"/api/v1/clients/{client.pk}/score").status_code == 403
    assert _staff(world.lawyer).get("/api/v1/me/score").status_code == 403


def test_schema_lists_the_operations(world):
    r = _staff(world.lawyer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    text = r.content.decode()
    for op in (
        "crs_score",
        "crs_whatif",
        "client_score_retrieve",
        "client_score_history",
        "client_eligibility",
        "me_score_retrieve",
    ):
        assert op in text
