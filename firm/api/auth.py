"""POST/DELETE /auth/token: exchange email and password (and a TOTP code) for a DRF token."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth import authenticate
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm.authentication import TokenAuthentication
from firm.models import (
    User,
)
from firm.scoping import actor_for_user

# --- Auth token ---------------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="TOTP code, required when the firm enforces 2FA."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    kind = serializers.ChoiceField(choices=["staff", "client"])


class AuthTokenView(APIView):
    """Exchange email and password for a DRF token (staff apps, client apps). django-axes locks out
    repeated failures for the email and IP pair; a locked-out caller gets 429 even with the right password."""

    permission_classes: ClassVar[list] = [AllowAny]
    authentication_classes: ClassVar[list] = []

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
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
            # Answer in the API's shape; the lockout itself stays recorded by django-axes (its middleware
            # would otherwise replace this answer with an HTML page).
            django_request.axes_locked_out = False
            return Response(
                {"error": {"detail": "Too many failed attempts: this account is locked for a while."}},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        actor = actor_for_request_user(user)
        if user is None or actor is None:
            return Response(
                {"error": {"detail": "Unable to log in with the provided credentials."}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        membership = getattr(user, "membership", None) if actor == "staff" else None
        if membership is not None and membership.firm.require_two_factor:
            code = data.validated_data.get("otp") or ""
            if not code or match_token(user, code) is None:
                return Response(
                    {"error": {"otp": "This firm requires a valid two-factor code."}},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "kind": actor})

    @extend_schema(
        operation_id="auth_token_destroy",
        request=None,
        responses={204: None},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        """Log out a token: delete the caller's token (authenticate with it)."""

        result = TokenAuthentication().authenticate(request)
        if result is None:
            return Response({"error": {"detail": "Send the token to revoke."}}, status=401)
        Token.objects.filter(user=result[0]).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def actor_for_request_user(user: User | None) -> str | None:
    if user is None:
        return None
    kind = actor_for_user(user).kind
    return kind if kind in ("staff", "client") else None
