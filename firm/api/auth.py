"""REST: personal API tokens. `POST /auth/token` logs in (email, password, and the two-factor code of a
user who has a device, whatever the firm's setting), `DELETE /auth/token` logs the sending token out,
`GET /auth/tokens` lists the caller's live tokens and `DELETE /auth/tokens/{id}` revokes one.

Tokens are django-rest-knox tokens on `firm.AuthToken` (see `firm.tokens`): stored hashed, expiring.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm import security, tokens
from firm.api.schema import ErrorSerializer
from firm.authentication import TokenAuthentication
from firm.models import AuthToken, User
from firm.scoping import actor_for_user


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=128)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="Two-factor code (or a backup code): required when the user has a device or the firm "
        "requires two-factor.",
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default="", help_text="A name to tell tokens apart."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown once.")
    kind = serializers.ChoiceField(choices=["staff", "client"])
    id = serializers.CharField(help_text="The token's id in GET /auth/tokens.")
    expires_at = serializers.DateTimeField(allow_null=True)


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="token_key", read_only=True)
    created_at = serializers.DateTimeField(source="created", read_only=True)
    expires_at = serializers.DateTimeField(source="expiry", read_only=True, allow_null=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = AuthToken
        fields: ClassVar[list[str]] = ["id", "name", "created_at", "expires_at", "otp_verified", "current"]
        read_only_fields = fields

    def get_current(self, row: AuthToken) -> bool:
        auth = self.context.get("auth")
        return isinstance(auth, AuthToken) and auth.digest == row.digest


def _kind(user: User | None) -> str | None:
    if user is None:
        return None
    kind = actor_for_user(user).kind
    return kind if kind in ("staff", "client") else None


def _error(field: str, message: str, code: int = 400) -> Response:
    return Response({"error": {field: message}}, status=code)


class AuthTokenView(APIView):
    """Exchange email and password (and the two-factor code) for an expiring token. django-axes locks out
    repeated failures for the email and IP pair; a locked-out caller gets 429 even with the right password."""

    permission_classes: ClassVar[list] = [AllowAny]
    authentication_classes: ClassVar[list] = []

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 429: OpenApiResponse(ErrorSerializer)},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request,
            username=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer in the API's shape; the lockout stays recorded by django-axes.
            django_request.axes_locked_out = False
            return _error("detail", "Too many failed attempts: this account is locked for a while.", 429)
        kind = _kind(user)
        if user is None or kind is None:
            return _error("detail", "Unable to log in with the provided credentials.")
        verified = False
        if security.has_confirmed_device(user=user):
            if security.otp_verify(user=user, token=data.validated_data.get("otp") or "") is None:
                return _error("otp", "Give the current code of your authenticator app (or a backup code).")
            verified = True
        elif security.two_factor_state(user=user) == "enrol":
            return _error(
                "otp",
                "This firm requires two-factor authentication: set it up at /account/two-factor/ first.",
            )
        row, raw = tokens.token_issue(user=user, name=data.validated_data["name"], otp_verified=verified)
        return Response({"token": raw, "kind": kind, "id": row.token_key, "expires_at": row.expiry})

    @extend_schema(operation_id="auth_token_destroy", request=None, responses={204: None}, tags=["auth"])
    def delete(self, request: Request) -> Response:
        """Log out: revoke the token this request is sent with."""
        result = TokenAuthentication().authenticate(request)
        if result is None:
            return _error("detail", "Send the token to revoke.", 401)
        result[1].delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The caller's live API tokens (staff or client, with a session or a token)."""

    permission_classes: ClassVar[list] = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_tokens_list", responses={200: TokenSerializer(many=True)}, tags=["auth"]
    )
    def get(self, request: Request) -> Response:
        if not isinstance(request.user, User):
            return _error("detail", "API keys have no personal tokens.", 403)
        rows = tokens.tokens_live(user=request.user).order_by("-created")
        return Response(TokenSerializer(rows, many=True, context={"auth": request.auth}).data)


class TokenDetailView(APIView):
    """Revoke one of the caller's own tokens."""

    permission_classes: ClassVar[list] = [IsAuthenticated]

    @extend_schema(operation_id="auth_tokens_destroy", request=None, responses={204: None}, tags=["auth"])
    def delete(self, request: Request, token_id: str) -> Response:
        if not isinstance(request.user, User):
            return _error("detail", "API keys have no personal tokens.", 403)
        if not tokens.token_revoke(user=request.user, token_key=token_id):
            return _error("detail", "Not found.", 404)
        return Response(status=status.HTTP_204_NO_CONTENT)


__all__: list[Any] = ["AuthTokenView", "TokenDetailView", "TokenListView"]
