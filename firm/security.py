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
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from firm.models import AuthToken, MagicLinkToken, Membership, User
from firm.scoping import Actor, actor_for_user
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
    # Enrolled: from now on every token needs the code (tokens issued without one stop working).
    AuthToken.objects.filter(user=user, otp_verified=False).delete()
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
    StaticDevice.objects.filter(user=user).delete()  # backup codes go with the device they back up
    if deleted:
        audit_record(actor=actor_for_user(user), action="2fa_disable", object_type="otp.totp", object_id="")
    return deleted


TwoFactorState = Literal["ok", "verify", "enrol"]


def two_factor_state(*, user: User) -> TwoFactorState:
    """What a logged-in session still owes before it may see anything, the same for pages and the API:

    - "verify": the user has a confirmed device and has not given a code in this session;
    - "enrol": staff of a firm that requires two-factor, with no device yet (only the setup page);
    - "ok": nothing.
    """
    if getattr(user, "is_verified", lambda: False)():
        return "ok"
    if has_confirmed_device(user=user):
        return "verify"
    membership = Membership.objects.filter(user=user, is_active=True).select_related("firm").first()
    if membership is not None and membership.firm.require_two_factor:
        return "enrol"
    return "ok"


BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Backup codes"


@transaction.atomic
def backup_codes_generate(*, user: User) -> list[str]:
    """Replace the user's backup codes (django-otp static tokens, each usable once) with new ones.

    Only a user who has an authenticator app gets backup codes (they back it up); returns the codes,
    which are shown once.
    """
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return []
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(actor=actor_for_user(user), action="2fa_backup_codes", obj=device, object_type="otp.static")
    return codes


def backup_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_reset(*, actor: Actor, membership: Membership) -> int:
    """A firm admin removes another staff member's devices (a lost phone): their authenticator and
    backup codes are deleted, their sessions and API tokens end, and the reset is audited. At their next
    login they enrol again (at once if the firm requires two-factor)."""
    from firm.errors import ApplicationError, PermissionDeniedError
    from firm.tokens import credentials_revoke_all

    if not actor.can("staff.manage") or membership.firm_id != actor.firm_id:
        raise PermissionDeniedError()
    if membership.user_id == actor.user_id:
        raise ApplicationError(
            "Use your own security page.",
            fields={"user": "You cannot reset your own two-factor authentication here."},
        )
    user = membership.user
    totp, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    credentials_revoke_all(user_id=user.pk, reason="2fa_reset", actor=actor)
    audit_record(
        actor=actor,
        action="2fa_reset",
        obj=membership,
        changes={"user": user.email, "devices_removed": totp + static},
    )
    return totp + static


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
    """Make a login token for a portal user; store its hash (never the token) and return the token.

    One live link per user: issuing a new one ends the user's unused earlier links.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise issuers of one user
    now = timezone.now()
    MagicLinkToken.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    token = MagicLinkToken.objects.create(
        user=user,
        token_hash=MagicLinkToken.hash_token(raw),
        expires_at=now + timedelta(seconds=MAGIC_LINK_MAX_AGE),
    )
    _audit(token=token, user=user, action="magic_link_issue")
    return raw


def magic_link_user(*, email: str) -> User | None:
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, client_profile__isnull=False)
        .select_related("client_profile")
        .first()
    )


def magic_link_send(*, email: str, base_url: str) -> bool:
    """Queue the one-time login link email for the portal user with this address (a Celery task issues
    the link and sends it, in the client's language).

    Returns whether a link was queued; callers must not reveal it (no account enumeration).
    """
    from firm.tasks import magic_link_email_task

    user = magic_link_user(email=email)
    if user is None:
        return False
    magic_link_email_task.delay(user.pk, base_url)
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
