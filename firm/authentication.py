"""API-key authentication for integrations and per-principal throttling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
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


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF token auth that refuses a malformed token before the database sees it (a NUL byte in the
    header made PostgreSQL raise DataError: a 500 instead of a 401)."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if not (key.isascii() and key.isalnum() and len(key) <= 40):
            raise exceptions.AuthenticationFailed("Invalid token.")
        # DRF's lookup plus the staff membership, which `actor_for_user` reads next: one query per staff
        # request instead of two. (Not the client profile too: joining the large client table here made
        # PostgreSQL scan it whole under the LIMIT.)
        token = self.get_model().objects.select_related("user", "user__membership").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


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
