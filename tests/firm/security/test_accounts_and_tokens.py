"""API tokens (hashed, expiring, named, listed and revoked by their owner, revoked on a password change
and a deactivation), rate limits on the pages that send email, one live login link, the staff invite
that does not reveal accounts elsewhere, and the per-user session index."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from firm.models import AuditEvent, AuthToken, MagicLinkToken, Membership, User, UserSession
from firm.sessions import user_sessions_revoke
from tests.conftest import Tenants
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def issue(user: Any, name: str = "") -> dict[str, Any]:
    response = APIClient().post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD, "name": name}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


# --- Tokens ---------------------------------------------------------------------------------------------


def test_tokens_are_stored_hashed_with_an_expiry_and_a_name(tenants: Tenants, settings: Any) -> None:
    body = issue(tenants.a.lawyer, name="laptop")
    row = AuthToken.objects.get(user=tenants.a.lawyer)
    assert body["token"] not in (row.digest, row.token_key) and len(row.digest) == 128
    assert row.name == "laptop" and row.expiry is not None
    hours = (row.expiry - timezone.now()).total_seconds() / 3600
    assert settings.API_TOKEN_TTL_HOURS - 0.1 < hours <= settings.API_TOKEN_TTL_HOURS
    assert body["id"] == row.token_key


def test_an_expired_token_is_refused(tenants: Tenants) -> None:
    token = issue(tenants.a.lawyer)["token"]
    assert with_token(token).get("/api/v1/clients/").status_code == 200
    AuthToken.objects.filter(user=tenants.a.lawyer).update(expiry=timezone.now() - timedelta(seconds=1))
    response = with_token(token).get("/api/v1/clients/")
    assert response.status_code == 401 and "expired" in response.json()["error"]["detail"]


def test_users_list_and_revoke_their_own_tokens(tenants: Tenants) -> None:
    first = issue(tenants.a.lawyer, name="phone")
    second = issue(tenants.a.lawyer, name="laptop")
    other = issue(tenants.a.paralegal, name="theirs")
    client = with_token(second["token"])
    listed = client.get("/api/v1/auth/tokens").json()
    assert {t["name"] for t in listed} == {"phone", "laptop"}
    assert [t["current"] for t in listed if t["name"] == "laptop"] == [True]
    assert all("token" not in t and "digest" not in t for t in listed)
    assert client.delete(f"/api/v1/auth/tokens/{other['id']}").status_code == 404  # not theirs
    assert with_token(other["token"]).get("/api/v1/clients/").status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{first['id']}").status_code == 204
    assert with_token(first["token"]).get("/api/v1/clients/").status_code == 401
    assert client.delete("/api/v1/auth/token").status_code == 204  # log out this one
    assert with_token(second["token"]).get("/api/v1/clients/").status_code == 401


def test_a_password_change_revokes_every_token(tenants: Tenants, api: Any) -> None:
    tokens = [issue(tenants.a.lawyer)["token"] for _ in range(2)]
    other = issue(tenants.a.paralegal)["token"]
    user = User.objects.get(pk=tenants.a.lawyer.pk)
    user.set_password("a-brand-new-Passw0rd")
    user.save()
    for token in tokens:
        assert with_token(token).get("/api/v1/clients/").status_code == 401
    assert with_token(other).get("/api/v1/clients/").status_code == 200
    assert AuditEvent.objects.filter(action="tokens_revoke", object_id=str(user.pk)).exists()


def test_deactivation_revokes_tokens_and_sessions(tenants: Tenants, api: Any) -> None:
    token = issue(tenants.a.lawyer)["token"]
    session = APIClient()
    session.post("/login/", {"username": tenants.a.lawyer.email, "password": PASSWORD}, format="multipart")
    assert UserSession.objects.filter(user_id=tenants.a.lawyer.pk).exists()
    response = api(tenants.a.admin).patch(
        f"/api/v1/staff/{tenants.a.lawyer.membership.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert not AuthToken.objects.filter(user=tenants.a.lawyer).exists()
    assert not UserSession.objects.filter(user_id=tenants.a.lawyer.pk).exists()
    assert with_token(token).get("/api/v1/clients/").status_code == 401
    assert session.get("/api/v1/clients/").status_code in (401, 403)


def test_the_oldest_token_goes_beyond_the_per_user_limit(tenants: Tenants, settings: Any) -> None:
    settings.API_TOKEN_LIMIT_PER_USER = 2
    first, second, third = (issue(tenants.a.lawyer)["token"] for _ in range(3))
    assert with_token(first).get("/api/v1/clients/").status_code == 401
    assert with_token(second).get("/api/v1/clients/").status_code == 200
    assert with_token(third).get("/api/v1/clients/").status_code == 200


@pytest.mark.parametrize("bad", ["abc\x00def", "x" * 500, "ünïcode", "../../etc"])
def test_malformed_tokens_are_a_401(tenants: Tenants, bad: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {bad}".encode("utf-8", "surrogateescape").decode("latin-1"))
    response = client.get("/api/v1/clients/")
    if "\x00" in bad:  # refused with the header named, before any authentication
        assert response.status_code == 400 and "Authorization" in response.json()["error"]
    else:
        assert response.status_code == 401


# --- Sessions -------------------------------------------------------------------------------------------


def test_sessions_are_indexed_by_user_and_revoked_without_decoding(tenants: Tenants) -> None:
    clients = []
    for user in (tenants.a.lawyer, tenants.a.lawyer, tenants.a.paralegal):
        client = APIClient()
        client.post("/login/", {"username": user.email, "password": PASSWORD}, format="multipart")
        clients.append(client)
    rows = UserSession.objects.filter(user_id=tenants.a.lawyer.pk)
    assert rows.count() == 2
    assert all(str(r.get_decoded()[SESSION_KEY]) == str(tenants.a.lawyer.pk) for r in rows)
    assert user_sessions_revoke(user_id=tenants.a.lawyer.pk) == 2
    assert clients[0].get("/clients/").status_code == 302
    assert clients[2].get("/clients/").status_code == 200


# --- Rate limits, one live link ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/login/link/", "/password-reset/"])
def test_account_emails_are_rate_limited_per_address(
    tenants: Tenants, url: str, settings: Any, mailoutbox: list
) -> None:
    settings.ACCOUNT_EMAIL_RATE_PER_ADDRESS = "3/d"  # a day: no window boundary inside a slow run
    settings.ACCOUNT_EMAIL_RATE_PER_IP = "100/h"
    email = tenants.a.portal_user.email
    statuses = []
    for n in range(15):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{n + 1}")  # a new IP each time: the address limit holds
        statuses.append(
            client.post(url, {"email": email.upper() if n % 2 else email}, format="multipart").status_code
        )
    assert statuses[:3] == [200, 200, 200] or statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    assert len(mailoutbox) == 3
    if url == "/login/link/":  # one live link: only the last one sent still works
        live = MagicLinkToken.objects.filter(
            user=tenants.a.portal_user, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        assert live.count() == 1


@pytest.mark.parametrize("url", ["/login/link/", "/password-reset/"])
def test_account_emails_are_rate_limited_per_ip(
    tenants: Tenants, url: str, settings: Any, mailoutbox: list
) -> None:
    settings.ACCOUNT_EMAIL_RATE_PER_ADDRESS = "100/h"
    settings.ACCOUNT_EMAIL_RATE_PER_IP = "5/h"
    client = APIClient(REMOTE_ADDR="10.9.9.9")
    statuses = [
        client.post(url, {"email": f"someone{n}@example.test"}, format="multipart").status_code
        for n in range(8)
    ]
    assert set(statuses[5:]) == {429} and 429 not in statuses[:5]
    other = APIClient(REMOTE_ADDR="10.9.9.10")
    assert other.post(url, {"email": tenants.a.portal_user.email}, format="multipart").status_code != 429
    assert len(mailoutbox) == 1


def test_account_emails_have_text_and_html_and_a_working_link(tenants: Tenants, mailoutbox: list) -> None:
    APIClient().post("/login/link/", {"email": tenants.a.portal_user.email}, format="multipart")
    message = mailoutbox[0]
    html = message.alternatives[0][0]
    link = next(word for word in message.body.split() if "/login/link/" in word)
    assert link in html
    path = link.split("testserver", 1)[1]
    assert APIClient().get(path).status_code == 200


# --- Staff invites --------------------------------------------------------------------------------------


def test_adding_staff_does_not_reveal_an_account_in_another_firm(
    tenants: Tenants, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    answers = {}
    for label, email in (
        ("new", "brand.new@a.test"),
        ("other-firm-staff", tenants.b.lawyer.email),
        ("other-firm-client", tenants.b.portal_user.email),
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = api(tenants.a.admin).post(
                "/api/v1/staff/", {"email": email, "role": "lawyer"}, format="json"
            )
        answers[label] = (response.status_code, tuple(sorted(response.json())), response.json()["status"])
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    assert len(set(answers.values())) == 1, answers
    assert Membership.objects.get(user__email="brand.new@a.test").firm == tenants.a.firm
    assert tenants.b.lawyer.membership.firm == tenants.b.firm  # nothing changed for them
    assert not Membership.objects.filter(user=tenants.b.portal_user).exists()
    same_firm = api(tenants.a.admin).post(
        "/api/v1/staff/", {"email": tenants.a.lawyer.email, "role": "lawyer"}, format="json"
    )
    assert same_firm.status_code == 400 and "email" in same_firm.json()["error"]
