"""Firm admin: staff, roles, API keys (secret shown once), alert and 2FA settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from firm.models import ApiKey, Membership, User
from tests.fixtures.web import login

pytestmark = pytest.mark.django_db


def test_admin_page_lists_staff_and_settings(client, world):
    login(client, world.admin_a)
    html = client.get(reverse("firm-admin")).content.decode()
    assert "lawyer@alder.test" in html and "para@alder.test" in html
    assert "lawyer@cedar.test" not in html
    assert "email_clients_on_draw" in html and "require_two_factor" in html


def test_add_staff_change_role_and_deactivate(client, world):
    login(client, world.admin_a)
    r = client.post(
        reverse("staff-create"),
        {"staff-email": "new@alder.test", "staff-role": "paralegal", "staff-first_name": "Nia"},
    )
    assert r.status_code == 302
    m = Membership.objects.get(user__email="new@alder.test")
    assert m.firm == world.firm_a and m.role == "paralegal"
    r = client.post(reverse("staff-create"), {"staff-email": "new@alder.test", "staff-role": "lawyer"})
    assert r.status_code == 400 and "already a member of your firm" in r.content.decode()
    r = client.post(
        reverse("membership-update", args=[m.pk]), {f"m{m.pk}-role": "lawyer", f"m{m.pk}-is_active": "on"}
    )
    m.refresh_from_db()
    assert m.role == "lawyer" and m.is_active
    client.post(reverse("membership-update", args=[m.pk]), {f"m{m.pk}-role": "lawyer"})
    m.refresh_from_db()
    assert not m.is_active


def test_admin_cannot_change_own_role(client, world):
    login(client, world.admin_a)
    m = world.admin_a.membership
    r = client.post(
        reverse("membership-update", args=[m.pk]),
        {f"m{m.pk}-role": "lawyer", f"m{m.pk}-is_active": "on"},
        follow=True,
    )
    m.refresh_from_db()
    assert m.role == "admin"
    assert "cannot change your own role" in r.content.decode()


def test_api_key_secret_shown_once_then_revoked(client, world):
    login(client, world.admin_a)
    r = client.post(reverse("api-key-create"), {"key-name": "Website intake", "key-scopes": ["intake"]})
    assert r.status_code == 200
    html = r.content.decode()
    key = ApiKey.objects.get(name="Website intake")
    secret = r.context["new_secret"]
    assert secret.startswith("mck_") and secret in html
    assert ApiKey.hash_secret(secret) == key.key_hash
    assert r["Cache-Control"] == "no-store"
    assert secret not in client.get(reverse("firm-admin")).content.decode()
    r = client.post(reverse("api-key-create"), {"key-name": "x"})
    assert r.status_code == 400
    assert client.post(reverse("api-key-revoke", args=[key.pk])).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_firm_settings(client, world):
    login(client, world.admin_a)
    assert client.post(reverse("firm-settings"), {"email_clients_on_draw": "on"}).status_code == 302
    world.firm_a.refresh_from_db()
    assert world.firm_a.email_clients_on_draw and not world.firm_a.require_two_factor


def test_new_staff_is_emailed_a_link_to_choose_a_password(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, world.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff-create"), {"staff-email": "fresh@alder.test", "staff-role": "lawyer"})
    client.logout()
    assert not User.objects.get(email="fresh@alder.test").has_usable_password()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["fresh@alder.test"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    assert r.status_code == 200 and r.context["validlink"]
    r = client.post(
        r.redirect_chain[-1][0], {"new_password1": "a-fresh-Passw0rd!", "new_password2": "a-fresh-Passw0rd!"}
    )
    assert r.status_code == 302
    assert User.objects.get(email="fresh@alder.test").check_password("a-fresh-Passw0rd!")
