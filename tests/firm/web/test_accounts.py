"""Login, lockout, TOTP two-factor, firm-required 2FA, one-time email links, password reset."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from firm import security
from firm.models import AuditEvent, MagicLinkToken
from tests.fixtures.web import PASSWORD, login

pytestmark = pytest.mark.django_db


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def past_throttle():
    """django-otp throttles verification after a failure; step past the back-off window."""
    from datetime import timedelta

    from django.utils import timezone as tz

    return mock.patch("django_otp.models.timezone.now", return_value=tz.now() + timedelta(seconds=30))


def test_password_login_and_logout(client, world):
    r = client.get(reverse("login"))
    assert r.status_code == 200 and 'name="csrfmiddlewaretoken"' in r.content.decode()
    r = client.post(reverse("login"), {"username": "lawyer@alder.test", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_login_redirects_to_safe_next_only(client, world):
    r = client.post(
        reverse("login") + "?next=/clients/",
        {"username": "lawyer@alder.test", "password": PASSWORD, "next": "/clients/"},
    )
    assert r["Location"] == "/clients/"
    client.logout()
    r = client.post(
        reverse("login"),
        {"username": "lawyer@alder.test", "password": PASSWORD, "next": "https://evil.test/"},
    )
    assert r["Location"] == reverse("home")


def test_wrong_password_shows_error(client, world):
    r = client.post(reverse("login"), {"username": "lawyer@alder.test", "password": "nope"})
    assert r.status_code == 200 and "correct" in r.content.decode()


def test_lockout_after_repeated_failures(client, world, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        r = client.post(reverse("login"), {"username": "lawyer@alder.test", "password": "wrong"})
        assert r.status_code == 200
    r = client.post(reverse("login"), {"username": "lawyer@alder.test", "password": "wrong"})
    assert r.status_code == 429
    assert "Too many failed attempts" in r.content.decode()
    # Even the right password is refused while locked out.
    r = client.post(reverse("login"), {"username": "lawyer@alder.test", "password": PASSWORD})
    assert r.status_code == 429 and 'id="lockout"' in r.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked (username + IP pairs).
    r = client.post(reverse("login"), {"username": "para@alder.test", "password": PASSWORD})
    assert r.status_code == 302


def test_totp_setup_then_login_asks_for_the_token(client, world):
    login(client, world.lawyer_a)
    r = client.get(reverse("otp-setup"))
    html = r.content.decode()
    assert r.status_code == 200 and "<svg" in html and 'id="otp-secret"' in html
    device = TOTPDevice.objects.get(user=world.lawyer_a, confirmed=False)
    r = client.post(
        reverse("otp-setup"), {"token": "000000" if current_token(device) != "000000" else "111111"}
    )
    assert r.status_code == 200 and "not valid" in r.content.decode()
    with past_throttle():
        r = client.post(reverse("otp-setup"), {"token": current_token(device)})
    assert r.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="2fa_enable", actor=world.lawyer_a).exists()
    client.post(reverse("logout"))

    # Password alone is not enough any more.
    r = client.post(reverse("login"), {"username": "lawyer@alder.test", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"].startswith(reverse("otp-verify"))
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("otp-verify"))
    assert client.get(reverse("client-detail", args=[world.client_a.pk])).status_code == 302
    r = client.post(reverse("otp-verify"), {"token": "12345"})
    assert "not valid" in r.content.decode()
    device.refresh_from_db()
    # The setup code cannot be replayed: use the next 30-second step's code.
    later = time.time() + 31
    # Both clocks move together: the token generator's (oath) and the device's verification (otp_totp).
    with (
        past_throttle(),
        mock.patch("django_otp.oath.time", return_value=later),
        mock.patch("django_otp.plugins.otp_totp.models.time") as device_clock,
    ):
        device_clock.time.return_value = later
        token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"
        r = client.post(reverse("otp-verify") + "?next=/clients/", {"token": token, "next": "/clients/"})
    assert r.status_code == 302 and r["Location"] == "/clients/"
    assert client.get(reverse("home")).status_code == 200


def test_firm_requiring_2fa_sends_staff_without_a_device_to_setup(client, world):
    world.firm_a.require_two_factor = True
    world.firm_a.save()
    login(client, world.lawyer_a)
    for url in [reverse("home"), reverse("client-list"), reverse("case-detail", args=[world.case_a.pk])]:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"] == reverse("otp-setup"), url
    r = client.get(reverse("otp-setup"))
    assert "requires two-factor" in r.content.decode()
    device = TOTPDevice.objects.get(user=world.lawyer_a)
    client.post(reverse("otp-setup"), {"token": current_token(device)})
    assert client.get(reverse("home")).status_code == 200
    # cannot turn it off while the firm requires it
    client.post(reverse("otp-setup"), {"action": "disable"})
    assert TOTPDevice.objects.filter(user=world.lawyer_a, confirmed=True).exists()
    # other firms are unaffected; clients of the firm are not forced
    client.logout()
    login(client, world.lawyer_b)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    login(client, world.client_a.portal_user)
    assert client.get(reverse("home")).status_code == 200


def test_staff_can_turn_off_optional_2fa(client, world):
    login(client, world.lawyer_a)
    client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user=world.lawyer_a)
    client.post(reverse("otp-setup"), {"token": current_token(device)})
    client.post(reverse("otp-setup"), {"action": "disable"})
    assert not TOTPDevice.objects.filter(user=world.lawyer_a).exists()


def _link_from(mail) -> str:
    return re.search(r"https?://testserver(/login/link/[^/\s]+/)", mail.body).group(1)


def test_magic_link_logs_in_once(client, world, mailoutbox):
    r = client.post(reverse("magic-link-request"), {"email": world.client_a.email.upper()})
    assert r.status_code == 200 and "Check your email" in r.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.client_a.email]
    path = _link_from(mailoutbox[0])
    token = path.split("/")[3]
    # only a hash is stored, never the token itself; issuing is audited
    row = MagicLinkToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and row.used_at is None
    issued = AuditEvent.objects.get(action="magic_link_issue")
    assert issued.object_id == str(row.pk) and token not in str(issued.changes)
    # GET only shows a confirmation (link scanners do not burn the token)
    r = client.get(path)
    assert r.status_code == 200 and "Continue" in r.content.decode()
    assert "_auth_user_id" not in client.session
    r = client.post(path)
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == world.client_a.portal_user.pk
    row.refresh_from_db()
    assert row.used_at is not None
    assert AuditEvent.objects.get(action="magic_link_use").object_id == str(row.pk)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    r = client.post(path)
    assert r.status_code == 400 and "already used" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_magic_link_expires(client, world, mailoutbox):
    client.post(reverse("magic-link-request"), {"email": world.client_a.email})
    path = _link_from(mailoutbox[0])
    later = timezone.now() + timedelta(seconds=security.MAGIC_LINK_MAX_AGE + 5)
    with mock.patch("firm.security.timezone.now", return_value=later):
        assert "expired" in client.get(path).content.decode()
        r = client.post(path)
    assert r.status_code == 400 and "expired" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_magic_link_tampered_or_unknown(client, world, mailoutbox):
    client.post(reverse("magic-link-request"), {"email": world.client_a.email})
    path = _link_from(mailoutbox[0])
    r = client.post(path[:-3] + "x/")
    assert r.status_code == 400 and "not valid" in r.content.decode()
    # a well-formed token that was never issued (no hash stored) is refused
    forged = secrets.token_urlsafe(32)
    assert client.post(reverse("magic-link-login", args=[forged])).status_code == 400
    assert "_auth_user_id" not in client.session


def test_magic_link_consumed_once_in_sequence(world):
    token = security.magic_link_issue(user=world.client_a.portal_user)
    assert security.magic_link_consume(token=token).user == world.client_a.portal_user
    again = security.magic_link_consume(token=token)
    assert again.user is None and again.error == "used"
    assert security.magic_link_check(token=token).error == "used"
    assert AuditEvent.objects.filter(action="magic_link_use").count() == 1


def test_magic_link_of_a_deactivated_portal_user_is_refused(world):
    token = security.magic_link_issue(user=world.client_a.portal_user)
    world.client_a.portal_user.is_active = False
    world.client_a.portal_user.save()
    assert security.magic_link_check(token=token).error == "invalid"
    assert security.magic_link_consume(token=token).user is None


@pytest.mark.django_db(transaction=True)
def test_magic_link_double_click_race_logs_in_once(world):
    """Two requests consume the same token at the same moment: the conditional UPDATE lets one win."""
    token = security.magic_link_issue(user=world.client_a.portal_user)
    start = threading.Barrier(2)
    results: list[security.MagicLinkResult] = []
    errors: list[BaseException] = []

    def click() -> None:
        try:
            start.wait(timeout=10)
            results.append(security.magic_link_consume(token=token))
        except BaseException as exc:  # reported below; a thread must not swallow it
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(r.user is not None for r in results) == [False, True]
    assert [r.error for r in results if r.user is None] == ["used"]
    assert MagicLinkToken.objects.get().used_at is not None
    assert AuditEvent.objects.filter(action="magic_link_use").count() == 1


def test_magic_link_not_sent_for_unknown_or_staff_addresses(client, world, mailoutbox):
    for email in ["nobody@example.test", "lawyer@alder.test"]:
        r = client.post(reverse("magic-link-request"), {"email": email})
        assert r.status_code == 200 and "Check your email" in r.content.decode()
    assert mailoutbox == []


def test_magic_link_email_in_the_clients_language(client, world, mailoutbox):
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    client.post(reverse("magic-link-request"), {"email": world.client_a.email})
    assert "connexion" in mailoutbox[0].subject.lower()
    assert "Bonjour" in mailoutbox[0].body


def test_password_reset_by_email(client, world, mailoutbox):
    r = client.post(reverse("password_reset"), {"email": world.client_a.email})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    path = re.search(r"testserver(/password-reset/\S+/)", mailoutbox[0].body).group(1)
    r = client.get(path, follow=True)
    assert r.context["validlink"]
    r = client.post(
        r.redirect_chain[-1][0], {"new_password1": "brand-new-Pass-77", "new_password2": "brand-new-Pass-77"}
    )
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_complete")
    assert (
        client.post(
            reverse("login"), {"username": world.client_a.email, "password": "brand-new-Pass-77"}
        ).status_code
        == 302
    )


def test_password_reset_email_in_the_clients_language(client, world, mailoutbox):
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    client.post(reverse("password_reset"), {"email": world.client_a.email})
    assert "mot de passe" in mailoutbox[0].subject.lower()


def test_csrf_is_enforced_on_forms(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    r = strict.post(reverse("login"), {"username": "lawyer@alder.test", "password": PASSWORD})
    assert r.status_code == 403
    strict.force_login(world.lawyer_a, backend="django.contrib.auth.backends.ModelBackend")
    r = strict.post(reverse("note-create", args=[world.case_a.pk]), {"note-text": "x"})
    assert r.status_code == 403


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
