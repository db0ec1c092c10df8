"""API-key authentication for integrations and per-principal throttling."""

from __future__ import annotations

from hmac import compare_digest
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS as knox_constants
from rest_framework import authentication, exceptions
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from firm.models import API_KEY_PREFIX, ApiKey


class ApiKeyUser(AnonymousUser):
    """`request.user` of an API-key request: authenticated (so `IsAuthenticated` admits it), but not a
    person: no pk, no Django permissions. Who it is lives in `request.auth` (the ApiKey) and the Actor."""

    def __init__(self, key: ApiKey) -> None:
        self.api_key = key

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True

    @property
    def is_anonymous(self) -> bool:  # type: ignore[override]
        return False

    def __str__(self) -> str:
        return f"api-key:{self.api_key.name}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key mck_<id>_<secret>`. Keys are stored hashed; last use is recorded."""

    keyword = "Api-Key"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(self.keyword + " "):
            return None
        raw = header[len(self.keyword) + 1 :].strip()
        if not raw.startswith(API_KEY_PREFIX):
            raise exceptions.AuthenticationFailed("Malformed API key.")
        key = ApiKey.objects.select_related("firm").filter(key_hash=ApiKey.hash_secret(raw)).first()
        if key is None or not key.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        now = timezone.now()
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return ApiKeyUser(key), key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "firm.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key mck_...` — created by a firm admin, shown once.",
        }


class TokenAuthentication(knox_auth.TokenAuthentication):
    """`Authorization: Token <token>` (django-rest-knox on `firm.AuthToken`): hashed, expiring, named.

    Refuses a malformed token before the database sees it (a NUL byte made PostgreSQL raise DataError: a
    500 instead of a 401), and a token issued without a two-factor code once the user's firm requires
    two-factor. Loads the staff membership and firm with the token (`actor_for_user` reads them next).
    """

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        raw = token.decode(errors="replace")
        if not (raw.isascii() and raw.isalnum() and len(raw) <= 128):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        candidates = (
            get_token_model()
            .objects.select_related("user", "user__membership", "user__membership__firm")
            .filter(token_key=raw[: knox_constants.TOKEN_KEY_LENGTH])
        )
        digest = hash_token(raw)
        for row in candidates:
            if not compare_digest(digest, row.digest):
                continue
            if row.expiry is not None and row.expiry <= now:
                row.delete()
                raise exceptions.AuthenticationFailed(_("Token expired."))
            if not row.user.is_active:
                raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
            membership = getattr(row.user, "membership", None)
            if not row.otp_verified and membership is not None and membership.firm.require_two_factor:
                raise exceptions.AuthenticationFailed(
                    _("Your firm requires two-factor authentication: get a new token with your code.")
                )
            return row.user, row
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class TwoFactorRequired(exceptions.PermissionDenied):
    default_code = "two_factor_required"


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The session (cookie) login of the pages, with the pages' two-factor rule (`security.two_factor_state`):
    a user with a device must have given a code in this session, and staff of a firm that requires
    two-factor without a device get nothing but the enrolment page. Otherwise 403, naming what is missing.
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        from firm.security import two_factor_state

        state = two_factor_state(user=request._request.user)
        if state == "verify":
            raise TwoFactorRequired(
                _("Enter your two-factor code first (/account/verify/): this session is not verified.")
            )
        if state == "enrol":
            raise TwoFactorRequired(
                _("Your firm requires two-factor authentication: set it up first at /account/two-factor/.")
            )
        return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "firm.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>` from POST /api/v1/auth/token (expires; see GET /api/v1/auth/tokens).",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "firm.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class PrincipalRateThrottle(SimpleRateThrottle):
    """One bucket per API key or per user (anonymous callers by IP)."""

    scope = "principal"

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiKey):
            ident = f"key:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
