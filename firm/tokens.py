"""Personal API tokens (django-rest-knox on `firm.AuthToken`): issue, list, revoke.

- A token is 64 random hex characters; only its SHA-512 digest is stored, with an expiry
  (`API_TOKEN_TTL_HOURS`), the name the user gave it and whether the login passed two-factor.
- A user has at most `API_TOKEN_LIMIT_PER_USER` live tokens: issuing one more revokes the oldest.
- Every token of a user is revoked on a password change, a deactivation (of the user or of their
  membership) and a two-factor reset; a firm switching two-factor on revokes its staff's tokens that
  were issued without a code. Revocations are audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from firm.models import AuthToken, Membership, User
from firm.scoping import Actor, actor_for_user


def token_issue(*, user: User, name: str = "", otp_verified: bool = False) -> tuple[AuthToken, str]:
    """Create a token; returns (row, the token). The token is never stored or shown again."""
    limit = settings.API_TOKEN_LIMIT_PER_USER
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one issuer at a time per user
        live = tokens_live(user=user)
        surplus = list(live.order_by("-created").values_list("digest", flat=True)[max(limit - 1, 0) :])
        if surplus:
            AuthToken.objects.filter(digest__in=surplus).delete()
        row, raw = AuthToken.objects.create(
            user=user, name=(name or "").strip()[:120], otp_verified=otp_verified
        )
    return row, raw


def tokens_live(*, user: User) -> QuerySet[AuthToken]:
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now())


def token_revoke(*, user: User, token_key: str) -> bool:
    """Revoke one of the user's own tokens, named by its `token_key`."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


def tokens_revoke_all(*, user_id: int, reason: str, actor: Actor | None = None) -> int:
    """Revoke every token of the user (password change, deactivation, two-factor reset); audited."""
    from firm.services import audit_record

    deleted, _ = AuthToken.objects.filter(user_id=user_id).delete()
    if deleted:
        user = User.objects.filter(pk=user_id).first()
        who = actor or (actor_for_user(user) if user is not None else None)
        if who is not None:
            audit_record(
                actor=who,
                action="tokens_revoke",
                object_type="firm.user",
                object_id=str(user_id),
                firm_id=_firm_id_of(user_id),
                changes={"reason": reason, "count": deleted},
            )
    return deleted


def tokens_revoke_unverified_for_firm(*, firm_id: int) -> int:
    """The firm now requires two-factor: its staff's tokens issued without a code stop working."""
    users = Membership.objects.filter(firm_id=firm_id).values("user_id")
    deleted, _ = AuthToken.objects.filter(user_id__in=users, otp_verified=False).delete()
    return deleted


def _firm_id_of(user_id: int) -> int | None:
    membership = Membership.objects.filter(user_id=user_id).values_list("firm_id", flat=True).first()
    if membership is not None:
        return membership
    from firm.models import Client

    return Client.objects.filter(portal_user_id=user_id).values_list("firm_id", flat=True).first()


def credentials_revoke_all(*, user_id: int, reason: str, actor: Actor | None = None) -> None:
    """Tokens and sessions both: what a deactivation or a two-factor reset ends."""
    from firm.sessions import user_sessions_revoke

    tokens_revoke_all(user_id=user_id, reason=reason, actor=actor)
    user_sessions_revoke(user_id=user_id)


# --- Signals: a password change or a deactivation revokes the user's tokens --------------------------------


def user_pre_save(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    """Remember what changed (the password hash, `is_active`) for `user_post_save`."""
    instance._credential_change = ""  # type: ignore[attr-defined]
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not ({"password", "is_active"} & set(update_fields)):
        return
    stored = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if stored["password"] != instance.password:
        instance._credential_change = "password_change"  # type: ignore[attr-defined]
    elif stored["is_active"] and not instance.is_active:
        instance._credential_change = "deactivation"  # type: ignore[attr-defined]


def user_post_save(sender: Any, instance: User, created: bool = False, **kwargs: Any) -> None:
    reason = getattr(instance, "_credential_change", "")
    if not reason:
        return
    instance._credential_change = ""  # type: ignore[attr-defined]
    if reason == "deactivation":
        credentials_revoke_all(user_id=instance.pk, reason=reason)
    else:  # a password change: other sessions end through Django's session auth hash
        tokens_revoke_all(user_id=instance.pk, reason=reason)
