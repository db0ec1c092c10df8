"""Two-factor enforcement, the same rule everywhere: the session API, the Django admin and the token
endpoint, each with and without a confirmed device, in a firm that requires two-factor and one that
does not. Plus backup codes and an admin's audited reset of another staff member's device."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from firm import security
from firm.models import AuditEvent, AuthToken
from tests.conftest import Tenants
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def add_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    device.last_t = -1  # each test may use the current code once more
    device.save(update_fields=["last_t"])
    device.throttle_reset()  # a wrong code just before delays the next try (django-otp throttling)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def password_login(user: Any) -> APIClient:
    client = APIClient(enforce_csrf_checks=False)
    response = client.post("/login/", {"username": user.email, "password": PASSWORD}, format="multipart")
    assert response.status_code == 302, response.content
    return client


def set_requirement(tenants: Tenants, required: bool) -> None:
    tenants.a.firm.require_two_factor = required
    tenants.a.firm.save(update_fields=["require_two_factor"])


def api_calls(tenants: Tenants) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", "/api/v1/clients/", None),
        ("get", "/api/v1/audit-events/", None),
        ("get", f"/api/v1/documents/{tenants.a.document_with_file.pk}/download", None),
        ("post", "/api/v1/notes/", {"case": tenants.a.case.pk, "text": "2FA probe"}),
    ]


# --- The session API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("required", [True, False], ids=["firm-requires", "firm-does-not"])
def test_session_api_needs_the_code_of_a_user_with_a_device(tenants: Tenants, required: bool) -> None:
    set_requirement(tenants, required)
    device = add_device(tenants.a.lawyer)
    client = password_login(tenants.a.lawyer)
    for method, url, body in api_calls(tenants):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (url, response.status_code)
        assert "two-factor" in response.json()["error"]["detail"]
    assert not tenants.a.case.notes.filter(text="2FA probe").exists()
    assert client.post("/account/verify/", {"token": code(device)}, format="multipart").status_code == 302
    for method, url, body in api_calls(tenants):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 201), (url, response.status_code)


@pytest.mark.parametrize("required", [True, False], ids=["firm-requires", "firm-does-not"])
def test_session_api_without_a_device(tenants: Tenants, required: bool) -> None:
    set_requirement(tenants, required)
    client = password_login(tenants.a.lawyer)
    for method, url, body in api_calls(tenants):
        response = getattr(client, method)(url, body, format="json")
        if required:  # nothing but the enrolment page
            assert response.status_code == 403, url
            assert "/account/two-factor/" in response.json()["error"]["detail"]
        else:
            assert response.status_code in (200, 201), url
    if required:
        assert client.get("/account/two-factor/").status_code == 200
        assert client.get("/clients/").status_code == 302


def test_client_with_a_device_needs_the_code_for_the_portal_api(tenants: Tenants) -> None:
    device = add_device(tenants.a.portal_user)
    client = password_login(tenants.a.portal_user)
    assert client.get("/api/v1/me").status_code == 403
    client.post("/account/verify/", {"token": code(device)}, format="multipart")
    assert client.get("/api/v1/me").status_code == 200


# --- The Django admin ---------------------------------------------------------------------------------


@pytest.fixture
def superuser(tenants: Tenants) -> Any:
    user = tenants.a.admin
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.mark.parametrize("required", [True, False], ids=["firm-requires", "firm-does-not"])
def test_admin_needs_the_code_of_a_superuser_with_a_device(
    tenants: Tenants, superuser: Any, required: bool
) -> None:
    set_requirement(tenants, required)
    device = add_device(superuser)
    anonymous = APIClient()
    response = anonymous.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = anonymous.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    # The admin's own login form does not take a password alone either.
    response = anonymous.post(
        "/admin/login/", {"username": superuser.email, "password": PASSWORD}, format="multipart"
    )
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client = password_login(superuser)
    response = client.get("/admin/firm/client/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/account/verify/")
    assert b"LEAKAFirst" not in response.content
    client.post("/account/verify/?next=/admin/firm/client/", {"token": code(device)}, format="multipart")
    response = client.get("/admin/firm/client/")
    assert response.status_code == 200 and b"LEAKAFirst" in response.content


@pytest.mark.parametrize("required", [True, False], ids=["firm-requires", "firm-does-not"])
def test_admin_refuses_a_superuser_without_a_device(tenants: Tenants, superuser: Any, required: bool) -> None:
    set_requirement(tenants, required)
    client = password_login(superuser)
    response = client.get("/admin/firm/client/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/two-factor/"
    assert b"LEAKAFirst" not in response.content


# --- The token endpoint -------------------------------------------------------------------------------


def token_request(user: Any, **extra: Any) -> Any:
    return APIClient().post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD, **extra}, format="json"
    )


@pytest.mark.parametrize("required", [True, False], ids=["firm-requires", "firm-does-not"])
def test_token_endpoint_needs_the_code_of_a_user_with_a_device(tenants: Tenants, required: bool) -> None:
    set_requirement(tenants, required)
    device = add_device(tenants.a.lawyer)
    response = token_request(tenants.a.lawyer)
    assert response.status_code == 400 and "otp" in response.json()["error"]
    assert token_request(tenants.a.lawyer, otp="000000").status_code == 400
    response = token_request(tenants.a.lawyer, otp=code(device))
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/clients/").status_code == 200


@pytest.mark.parametrize("required", [True, False], ids=["firm-requires", "firm-does-not"])
def test_token_endpoint_without_a_device(tenants: Tenants, required: bool) -> None:
    set_requirement(tenants, required)
    response = token_request(tenants.a.lawyer)
    if required:
        assert response.status_code == 400 and "otp" in response.json()["error"]
        assert not AuthToken.objects.filter(user=tenants.a.lawyer).exists()
    else:
        assert response.status_code == 200
        assert AuthToken.objects.get(user=tenants.a.lawyer).otp_verified is False


def test_firm_switching_two_factor_on_stops_tokens_issued_without_a_code(tenants: Tenants) -> None:
    token = token_request(tenants.a.lawyer).json()["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/clients/").status_code == 200
    set_requirement(tenants, True)
    assert client.get("/api/v1/clients/").status_code == 401


def test_enrolling_a_device_ends_tokens_issued_without_a_code(tenants: Tenants) -> None:
    token = token_request(tenants.a.lawyer).json()["token"]
    pending = security.totp_device_pending(user=tenants.a.lawyer)
    assert security.totp_device_confirm(user=tenants.a.lawyer, token=code(pending)) is not None
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/clients/").status_code == 401


# --- Backup codes and the admin reset -----------------------------------------------------------------


def test_backup_codes_log_in_once_each(tenants: Tenants) -> None:
    user = tenants.a.lawyer
    add_device(user)
    client = password_login(user)
    assert client.post("/account/verify/", {"token": "nope"}, format="multipart").status_code == 200
    # Backup codes are made from the security page, by a verified session only.
    assert (
        client.post("/account/two-factor/", {"action": "backup-codes"}, format="multipart").status_code == 302
    )
    codes = security.backup_codes_generate(user=user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.post("/account/verify/", {"token": codes[0]}, format="multipart").status_code == 302
    page = client.post("/account/two-factor/", {"action": "backup-codes"}, format="multipart")
    assert page.status_code == 200
    fresh = list(page.context["backup_codes"])
    assert len(fresh) == 10 and codes[1] not in fresh  # the old ones are replaced
    second = password_login(user)
    assert second.post("/account/verify/", {"token": fresh[0]}, format="multipart").status_code == 302
    third = password_login(user)
    assert (
        third.post("/account/verify/", {"token": fresh[0]}, format="multipart").status_code == 200
    )  # used once already
    StaticDevice.objects.get(user=user).throttle_reset()  # the refused reuse just above delays the next try
    assert token_request(user, otp=fresh[1]).status_code == 200
    assert AuditEvent.objects.filter(action="2fa_backup_codes", actor=user).count() == 2


def test_firm_admin_resets_a_lost_device_audited(tenants: Tenants, api: Any) -> None:
    lawyer = tenants.a.lawyer
    add_device(lawyer)
    security.backup_codes_generate(user=lawyer)
    token = token_request(lawyer, otp=code(TOTPDevice.objects.get(user=lawyer))).json()["token"]
    session = password_login(lawyer)
    url = f"/api/v1/staff/{lawyer.membership.pk}/reset-two-factor"
    assert api(tenants.a.paralegal).post(url).status_code == 403
    assert api(tenants.b.admin).post(url).status_code == 404  # another firm's staff: not found
    assert api(tenants.a.api_key_raw).post(url).status_code == 403
    response = api(tenants.a.admin).post(url)
    assert response.status_code == 200, response.content
    assert not TOTPDevice.objects.filter(user=lawyer).exists()
    assert not StaticDevice.objects.filter(user=lawyer).exists()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/clients/").status_code == 401
    assert session.get("/clients/").status_code == 302  # the session ended
    event = AuditEvent.objects.get(action="2fa_reset")
    assert event.actor == tenants.a.admin and event.firm_id == tenants.a.firm.pk
    # Admins cannot reset their own here.
    own = api(tenants.a.admin).post(f"/api/v1/staff/{tenants.a.admin.membership.pk}/reset-two-factor")
    assert own.status_code == 400
