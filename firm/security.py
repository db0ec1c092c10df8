"""Account-security services: TOTP two-factor devices and one-time email login links for clients.

Magic links: the token is 32 random bytes (URL-safe); only its SHA-256 is stored, in a
`MagicLinkToken` row with an expiry (`MAGIC_LINK_MAX_AGE`). `magic_link_check` only reads (the link
page shows a button first, so mail scanners that follow links do not burn it); `magic_link_consume`
marks the row used with one conditional UPDATE (`used_at IS NULL AND expires_at > now`), so of two
simultaneous clicks exactly one logs in. Issuing and using a link each write an audit row
(`magic_link_issue` / `magic_link_use`, object type `magic_link`, object id = the row's id).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from firm.models import MagicLinkToken, User
from firm.scoping import actor_for_user
from firm.services import audit_record

MAGIC_LINK_MAX_AGE = 15 * 60  # seconds
MAGIC_LINK_TYPE = "magic_link"

# --- TOTP ---------------------------------------------------------------------------------------------


def has_confirmed_device(*, user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )


def confirmed_devices(*, user: User) -> list[Device]:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use (the setup page shows its secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending device if `token` matches it; returns the device or None."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=actor_for_user(user), action="2fa_enable", obj=device, object_type="otp.totp")
    return device


def otp_verify(*, user: User, token: str) -> Device | None:
    """Return the confirmed device that accepts `token`, or None (throttled by django-otp)."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    for device in confirmed_devices(user=user):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


@transaction.atomic
def totp_device_remove(*, user: User) -> int:
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor_for_user(user), action="2fa_disable", object_type="otp.totp", object_id="")
    return deleted


# --- Magic links --------------------------------------------------------------------------------------

MagicLinkError = Literal["", "invalid", "expired", "used"]


@dataclass(frozen=True)
class MagicLinkResult:
    user: User | None
    error: MagicLinkError = ""


def _audit(*, token: MagicLinkToken, user: User, action: str) -> None:
    client = user.client_profile
    audit_record(
        actor=actor_for_user(user),
        action=action,
        object_type=MAGIC_LINK_TYPE,
        object_id=str(token.pk),
        client=client,
        firm_id=client.firm_id,
        changes={"user": user.pk, "expires_at": token.expires_at},
    )


@transaction.atomic
def magic_link_issue(*, user: User) -> str:
    """Make a login token for a portal user; store its hash (never the token) and return the token."""
    raw = secrets.token_urlsafe(32)
    token = MagicLinkToken.objects.create(
        user=user,
        token_hash=MagicLinkToken.hash_token(raw),
        expires_at=timezone.now() + timedelta(seconds=MAGIC_LINK_MAX_AGE),
    )
    _audit(token=token, user=user, action="magic_link_issue")
    return raw


def magic_link_send(*, email: str, build_url: Callable[[str], str]) -> bool:
    """Email a one-time login link to the portal user with this address, in the client's language.

    Returns whether a link was sent; callers must not reveal it (no account enumeration).
    """
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, client_profile__isnull=False)
        .select_related("client_profile")
        .first()
    )
    if user is None:
        return False
    token = magic_link_issue(user=user)
    link = build_url(reverse("magic-link-login", kwargs={"token": token}))
    language = user.client_profile.preferred_language or user.preferred_language or "en"
    with translation.override(language):
        context = {
            "user": user,
            "firm": user.client_profile.firm,
            "link": link,
            "minutes": MAGIC_LINK_MAX_AGE // 60,
            "site_name": settings.SITE_NAME,
            "LANGUAGE_CODE": language,
        }
        subject = render_to_string("email/magic_link_subject.txt", context).strip()
        body = render_to_string("email/magic_link.txt", context)
        html = render_to_string("email/magic_link.html", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], html_message=html)
    return True


def _usable_user(token: MagicLinkToken) -> User | None:
    user = token.user
    if not user.is_active or getattr(user, "client_profile", None) is None:
        return None
    return user


def magic_link_check(*, token: str) -> MagicLinkResult:
    """Validate a token without consuming it (the link page asks the user to confirm first)."""
    row = (
        MagicLinkToken.objects.select_related("user")
        .filter(token_hash=MagicLinkToken.hash_token(token))
        .first()
    )
    if row is None:
        return MagicLinkResult(None, "invalid")
    if row.used_at is not None:
        return MagicLinkResult(None, "used")
    if row.expires_at <= timezone.now():
        return MagicLinkResult(None, "expired")
    user = _usable_user(row)
    return MagicLinkResult(user) if user is not None else MagicLinkResult(None, "invalid")


@transaction.atomic
def magic_link_consume(*, token: str) -> MagicLinkResult:
    """Mark the token used and return its user (the caller logs them in), at most once per token.

    `UPDATE ... SET used_at = now WHERE token_hash = %s AND used_at IS NULL AND expires_at > now`: the
    database lets one of two simultaneous requests update the row (the other waits for the row and then
    matches nothing), so only one request gets a user back.
    """
    token_hash = MagicLinkToken.hash_token(token)
    now = timezone.now()
    claimed = MagicLinkToken.objects.filter(
        token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if claimed != 1:
        result = magic_link_check(token=token)
        return result if result.user is None else MagicLinkResult(None, "used")
    row = MagicLinkToken.objects.select_related("user").get(token_hash=token_hash)
    user = _usable_user(row)
    if user is None:
        return MagicLinkResult(None, "invalid")
    _audit(token=row, user=user, action="magic_link_use")
    return MagicLinkResult(user)
