"""Account-security services used by the pages: TOTP devices and one-time email login links.

Keyword-only and typed like the other services; candidates to move into `firm.services` later.

Magic links: a token is `signing.dumps({"u": user id, "n": nonce, "l": last login})` with a
dedicated salt, valid `MAGIC_LINK_MAX_AGE` seconds. Issuing writes an audit row whose object id is
the token's SHA-256 (first 40 hex digits, the token itself is never stored); using it writes a
second row with the same id, and a token whose "used" row exists is refused. A used token also
stops matching because logging in changes `last_login`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from firm.models import AuditEvent, User
from firm.scoping import SYSTEM, Actor, actor_for_user
from firm.services import audit_record

MAGIC_LINK_SALT = "firm.magic-link.v1"
MAGIC_LINK_MAX_AGE = 15 * 60
MAGIC_LINK_TYPE = "magic_link"


# --- TOTP ---------------------------------------------------------------------------------------------


def has_confirmed_device(*, user: User) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True).exists()
    )


def confirmed_devices(*, user: User) -> list:
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


def otp_verify(*, user: User, token: str):  # -> Device | None
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


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:40]


def _login_stamp(user: User) -> str:
    return user.last_login.isoformat() if user.last_login else ""


@dataclass(frozen=True)
class MagicLinkResult:
    user: User | None
    error: str = ""


def magic_link_issue(*, user: User) -> str:
    """Make a login token for a portal user and record its hash (never the token)."""
    token = signing.dumps(
        {"u": user.pk, "n": secrets.token_urlsafe(12), "l": _login_stamp(user)}, salt=MAGIC_LINK_SALT
    )
    client = getattr(user, "client_profile", None)
    audit_record(
        actor=Actor(kind="system", firm_id=client.firm_id if client else None, label="magic-link"),
        action="magic_link_issue",
        object_type=MAGIC_LINK_TYPE,
        object_id=_token_id(token),
        client=client,
        firm_id=client.firm_id if client else None,
        changes={"user": user.pk},
    )
    return token


def magic_link_send(*, email: str, build_url) -> bool:
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
            "link": link,
            "minutes": MAGIC_LINK_MAX_AGE // 60,
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("email/magic_link_subject.txt", context).strip()
        body = render_to_string("email/magic_link.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def magic_link_check(*, token: str) -> MagicLinkResult:
    """Validate a token without consuming it (the link page asks the user to confirm first)."""
    try:
        data = signing.loads(token, salt=MAGIC_LINK_SALT, max_age=MAGIC_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return MagicLinkResult(None, "expired")
    except signing.BadSignature:
        return MagicLinkResult(None, "invalid")
    token_id = _token_id(token)
    events = AuditEvent.objects.restrict(SYSTEM).filter(object_type=MAGIC_LINK_TYPE, object_id=token_id)
    if not events.filter(action="magic_link_issue").exists():
        return MagicLinkResult(None, "invalid")
    if events.filter(action="magic_link_use").exists():
        return MagicLinkResult(None, "used")
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or getattr(user, "client_profile", None) is None:
        return MagicLinkResult(None, "invalid")
    if data.get("l", "") != _login_stamp(user):
        return MagicLinkResult(None, "used")
    return MagicLinkResult(user)


@transaction.atomic
def magic_link_consume(*, token: str) -> MagicLinkResult:
    """Check and mark the token used (single use). The caller logs the returned user in."""
    result = magic_link_check(token=token)
    if result.user is None:
        return result
    # Lock the user row so two simultaneous uses of one token cannot both pass.
    user = get_user_model().objects.select_for_update().get(pk=result.user.pk)
    token_id = _token_id(token)
    if (
        AuditEvent.objects.restrict(SYSTEM)
        .filter(object_type=MAGIC_LINK_TYPE, object_id=token_id, action="magic_link_use")
        .exists()
    ):
        return MagicLinkResult(None, "used")
    client = user.client_profile
    audit_record(
        actor=actor_for_user(user),
        action="magic_link_use",
        object_type=MAGIC_LINK_TYPE,
        object_id=token_id,
        client=client,
        firm_id=client.firm_id,
    )
    return MagicLinkResult(user)
