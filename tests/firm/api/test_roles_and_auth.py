"""Who may do what: roles, API-key scopes, tokens, portal limits, throttling, errors shape."""

from __future__ import annotations

from typing import Any

import pytest

from cases.models import Case
from firm.models import ApiKey, AuditEvent, Client, Membership
from tests.conftest import Tenants
from tests.factories import PASSWORD, api_key_for

pytestmark = pytest.mark.django_db


# --- Roles ------------------------------------------------------------------------------------------------


def test_paralegal_cannot_delete_a_case_but_a_lawyer_can(tenants: Tenants, api: Any) -> None:
    url = f"/api/v1/cases/{tenants.a.case.pk}/"
    response = api(tenants.a.paralegal).delete(url)
    assert response.status_code == 403
    assert response.json() == {"error": {"detail": "You do not have permission to do this."}}
    assert Case.objects.filter(pk=tenants.a.case.pk).exists()
    assert api(tenants.a.lawyer).delete(url).status_code == 204
    assert not Case.objects.filter(pk=tenants.a.case.pk).exists()


def test_paralegal_and_lawyer_cannot_manage_api_keys(tenants: Tenants, api: Any) -> None:
    for user in (tenants.a.paralegal, tenants.a.lawyer):
        client = api(user)
        assert client.get("/api/v1/api-keys/").status_code == 403
        assert (
            client.post("/api/v1/api-keys/", {"name": "x", "scopes": ["read"]}, format="json").status_code
            == 403
        )
        assert client.post(f"/api/v1/api-keys/{tenants.a.api_key.pk}/revoke").status_code == 403
    assert ApiKey.objects.get(pk=tenants.a.api_key.pk).revoked_at is None


def test_only_admins_manage_staff(tenants: Tenants, api: Any) -> None:
    new = {"email": "new.paralegal@a.test", "role": "paralegal"}
    for user in (tenants.a.paralegal, tenants.a.lawyer):
        assert api(user).get("/api/v1/staff/").status_code == 200
        assert api(user).post("/api/v1/staff/", new, format="json").status_code == 403
        membership = tenants.a.paralegal.membership
        assert (
            api(user).patch(f"/api/v1/staff/{membership.pk}/", {"role": "admin"}, format="json").status_code
            == 403
        )
    response = api(tenants.a.admin).post("/api/v1/staff/", new, format="json")
    assert response.status_code == 202, response.content
    assert response.json() == {"email": "new.paralegal@a.test", "role": "paralegal", "status": "invited"}
    assert Membership.objects.get(user__email="new.paralegal@a.test").firm == tenants.a.firm
    membership = tenants.a.paralegal.membership
    response = api(tenants.a.admin).patch(
        f"/api/v1/staff/{membership.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    # API keys never manage staff, whatever their scope.
    assert api(tenants.a.api_key_raw).get("/api/v1/staff/").status_code == 403


def test_admin_cannot_demote_themselves(tenants: Tenants, api: Any) -> None:
    membership = tenants.a.admin.membership
    response = api(tenants.a.admin).patch(
        f"/api/v1/staff/{membership.pk}/", {"role": "lawyer"}, format="json"
    )
    assert response.status_code == 400 and "role" in response.json()["error"]


def test_case_status_moves_only_through_transition(tenants: Tenants, api: Any) -> None:
    url = f"/api/v1/cases/{tenants.a.case.pk}/"
    response = api(tenants.a.lawyer).patch(url, {"status": "approved", "title": "New title"}, format="json")
    assert response.status_code == 200
    case = Case.objects.get(pk=tenants.a.case.pk)
    assert case.status == "intake" and case.title == "New title"  # status is read-only here
    bad = api(tenants.a.lawyer).post(f"{url}transition", {"status": "approved"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()["error"]
    ok = api(tenants.a.paralegal).post(
        f"{url}transition", {"status": "assessment", "reason": "Docs in"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "assessment"
    history = api(tenants.a.lawyer).get(f"{url}history").json()["results"]
    assert [h["to_status"] for h in history][-1] == "assessment" and history[-1]["reason"] == "Docs in"


def test_case_cannot_point_at_another_firms_client_or_lawyer(tenants: Tenants, api: Any) -> None:
    client = api(tenants.a.lawyer)
    response = client.post("/api/v1/cases/", {"client": tenants.b.client.pk, "pathway": "gts"}, format="json")
    assert response.status_code == 400 and "client" in response.json()["error"]
    response = client.patch(
        f"/api/v1/cases/{tenants.a.case.pk}/", {"assigned_lawyer": tenants.b.lawyer.pk}, format="json"
    )
    assert response.status_code == 400 and "assigned_lawyer" in response.json()["error"]
    response = client.post("/api/v1/notes/", {"case": tenants.b.case.pk, "text": "hi"}, format="json")
    assert response.status_code == 400 and "case" in response.json()["error"]


# --- The client portal --------------------------------------------------------------------------------------


def test_client_cannot_change_status_lawyer_score_or_other_data(tenants: Tenants, api: Any) -> None:
    me = api(tenants.a.portal_user)
    case_url = f"/api/v1/cases/{tenants.a.case.pk}/"
    assert me.post(f"{case_url}transition", {"status": "withdrawn"}, format="json").status_code == 403
    assert me.patch(case_url, {"assigned_lawyer": None}, format="json").status_code == 403
    assert (
        me.patch(f"/api/v1/clients/{tenants.a.client.pk}/", {"status": "closed"}, format="json").status_code
        == 403
    )
    assert me.patch("/api/v1/me/", {"status": "closed"}, format="json").status_code == 405
    assert (
        me.post(f"/api/v1/me/cases/{tenants.a.case.pk}/", {"status": "approved"}, format="json").status_code
        == 405
    )
    assert (
        me.patch(f"/api/v1/me/cases/{tenants.a.case.pk}/", {"status": "approved"}, format="json").status_code
        == 405
    )
    assert me.post("/api/v1/me/score", {"total": 999}, format="json").status_code in (403, 405)
    case = Case.objects.get(pk=tenants.a.case.pk)
    assert case.status == "intake" and case.assigned_lawyer == tenants.a.lawyer
    assert Client.objects.get(pk=tenants.a.client.pk).status == "active"


def test_client_sees_only_their_own_things(tenants: Tenants, api: Any) -> None:
    me = api(tenants.a.portal_user)
    assert me.get("/api/v1/me/").json()["id"] == tenants.a.client.pk
    assert [c["id"] for c in me.get("/api/v1/me/cases/").json()["results"]] == [tenants.a.case.pk]
    notes = me.get("/api/v1/me/notes/").json()["results"]
    assert [n["id"] for n in notes] == [tenants.a.note_shared.pk]  # internal notes never shown
    checklist = me.get("/api/v1/me/checklist/").json()["results"]
    assert [d["id"] for d in checklist] == [tenants.a.document.pk]
    assert me.get("/api/v1/me/deadlines/").json()["count"] == 1
    assert me.get("/api/v1/clients/").status_code == 403  # the staff API is not for clients
    assert me.get(f"/api/v1/me/cases/{tenants.b.case.pk}/").status_code == 404


def test_staff_and_keys_do_not_use_the_portal(tenants: Tenants, api: Any) -> None:
    assert api(tenants.a.lawyer).get("/api/v1/me/").status_code == 403
    assert api(tenants.a.api_key_raw).get("/api/v1/me/cases/").status_code == 403


# --- API keys -----------------------------------------------------------------------------------------------


def test_api_key_lifecycle_secret_once_hashed_revocable(tenants: Tenants, api: Any) -> None:
    admin = api(tenants.a.admin)
    response = admin.post(
        "/api/v1/api-keys/", {"name": "Website form", "scopes": ["intake", "read"]}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    raw = body["key"]
    assert raw.startswith("mck_")
    key = ApiKey.objects.get(pk=body["id"])
    assert key.key_hash == ApiKey.hash_secret(raw) and raw not in str(key.__dict__)
    listed = admin.get(f"/api/v1/api-keys/{key.pk}/").json()
    assert "key" not in listed and listed["prefix"] == f"mck_{key.public_id}"
    used = api(raw).get("/api/v1/clients/")
    assert used.status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert admin.post(f"/api/v1/api-keys/{key.pk}/revoke").json()["is_active"] is False
    revoked = api(raw).get("/api/v1/clients/")
    assert revoked.status_code == 401
    assert revoked.json() == {"error": {"detail": "Invalid or revoked API key."}}


def test_api_key_scopes(tenants: Tenants, api: Any) -> None:
    read = api(api_key_for(tenants.a.firm, ["read"])[1])
    assert read.get("/api/v1/cases/").status_code == 200
    assert (
        read.post(
            "/api/v1/cases/", {"client": tenants.a.client.pk, "pathway": "gts"}, format="json"
        ).status_code
        == 403
    )
    write = api(api_key_for(tenants.a.firm, ["write"])[1])
    assert (
        write.post(
            "/api/v1/cases/", {"client": tenants.a.client.pk, "pathway": "gts"}, format="json"
        ).status_code
        == 201
    )
    assert write.delete(f"/api/v1/cases/{tenants.a.case.pk}/").status_code == 403  # deleting is for people
    crs_only = api(api_key_for(tenants.a.firm, ["crs"])[1])
    assert crs_only.get("/api/v1/clients/").status_code == 403


def test_bad_credentials_are_401(api: Any) -> None:
    assert api().get("/api/v1/clients/").status_code == 401
    assert api("mck_nope_nope").get("/api/v1/clients/").status_code == 401
    assert api("garbage").get("/api/v1/clients/").status_code == 401


# --- Tokens -------------------------------------------------------------------------------------------------


def test_token_login_for_staff_and_clients(tenants: Tenants, api: Any) -> None:
    for user, kind in ((tenants.a.lawyer, "staff"), (tenants.a.portal_user, "client")):
        response = api().post(
            "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["kind"] == kind
        token = response.json()["token"]
        url = "/api/v1/clients/" if kind == "staff" else "/api/v1/me/"
        assert api(token=token).get(url).status_code == 200
    logout = api(token=token).delete("/api/v1/auth/token")
    assert logout.status_code == 204
    assert api(token=token).get("/api/v1/me/").status_code == 401


def test_token_login_respects_axes_lockout(tenants: Tenants, api: Any, settings: Any) -> None:
    email = tenants.a.lawyer.email
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        bad = api().post("/api/v1/auth/token", {"email": email, "password": "wrong-password"}, format="json")
        assert bad.status_code == 400
    last = api().post("/api/v1/auth/token", {"email": email, "password": "wrong-password"}, format="json")
    assert last.status_code == 429 and "locked" in last.json()["error"]["detail"]
    locked = api().post("/api/v1/auth/token", {"email": email, "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "token" not in locked.json()


def test_token_login_requires_otp_when_the_firm_enforces_2fa(tenants: Tenants, api: Any) -> None:
    tenants.a.firm.require_two_factor = True
    tenants.a.firm.save()
    response = api().post(
        "/api/v1/auth/token", {"email": tenants.a.lawyer.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400 and "otp" in response.json()["error"]


# --- Throttling, audit ----------------------------------------------------------------------------------------


def test_throttling_is_per_key_and_per_user(
    tenants: Tenants, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    from firm.authentication import PrincipalRateThrottle

    cache.clear()
    monkeypatch.setattr(PrincipalRateThrottle, "THROTTLE_RATES", {"principal": "3/min"})
    key = api(tenants.a.api_key_raw)
    assert [key.get("/api/v1/cases/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api(tenants.a.lawyer).get("/api/v1/cases/").status_code == 200  # another principal, own bucket
    throttled = key.get("/api/v1/cases/")
    assert throttled.status_code == 429 and "error" in throttled.json()
    cache.clear()


def test_probing_another_firms_object_is_audited(tenants: Tenants, api: Any) -> None:
    assert api(tenants.b.lawyer).get(f"/api/v1/clients/{tenants.a.client.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="access_denied")
    assert event.firm == tenants.b.firm and event.actor == tenants.b.lawyer
    assert event.object_type == "firm.client" and event.object_id == str(tenants.a.client.pk)
    # A made-up id is a plain 404, not an audit row.
    assert api(tenants.b.lawyer).get("/api/v1/clients/987654/").status_code == 404
    assert AuditEvent.objects.filter(action="access_denied").count() == 1


def test_errors_have_one_shape(tenants: Tenants, api: Any) -> None:
    response = api(tenants.a.lawyer).post("/api/v1/clients/", {"first_name": ""}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert {"first_name", "last_name"} <= set(response.json()["error"])
    assert api(tenants.a.lawyer).get("/api/v1/cases/999999/").json() == {"error": {"detail": "Not found."}}


def test_client_crud_and_facts(tenants: Tenants, api: Any) -> None:
    staff = api(tenants.a.paralegal)
    created = staff.post(
        "/api/v1/clients/",
        {
            "first_name": "Li",
            "last_name": "Wei",
            "citizenships": ["CN"],
            "assigned_lawyer": tenants.a.lawyer.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    fact = staff.post(
        f"/api/v1/clients/{cid}/work-experience/",
        {"noc_code": "21231", "teer": 1, "start_date": "2020-01-01", "end_date": "2019-01-01"},
        format="json",
    )
    assert fact.status_code == 400 and "end_date" in fact.json()["error"]
    fact = staff.post(
        f"/api/v1/clients/{cid}/language-tests/",
        {
            "person": "spouse",
            "test": "tef",
            "test_date": "2025-01-01",
            "listening": 300,
            "reading": 250,
            "writing": 350,
            "speaking": 350,
        },
        format="json",
    )
    assert fact.status_code == 201, fact.content
    assert staff.get(f"/api/v1/clients/{cid}/language-tests/?person=spouse").json()["count"] == 1
    assert staff.get("/api/v1/clients/?q=wei").json()["count"] == 1
    assert staff.delete(f"/api/v1/clients/{cid}/").status_code == 403  # paralegals do not delete clients
    assert api(tenants.a.lawyer).delete(f"/api/v1/clients/{cid}/").status_code == 204


def test_schema_and_docs_are_served(tenants: Tenants, api: Any) -> None:
    schema = api(tenants.a.lawyer).get("/api/schema/?format=json")
    assert schema.status_code == 200
    doc = schema.json()
    assert {"ApiKeyAuth", "cookieAuth", "tokenAuth"} <= set(doc["components"]["securitySchemes"])
    assert "Error" in doc["components"]["schemas"]
    op = doc["paths"]["/api/v1/cases/{id}/transition/"]["post"]
    assert {"400", "401", "403", "404"} <= set(op["responses"])
    assert api(tenants.a.lawyer).get("/api/docs/").status_code == 200
