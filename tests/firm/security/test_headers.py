"""The API docs page (Swagger UI from our own static files, login required), the Content-Security-Policy
with nonces, and `Cache-Control: no-store` on pages and API answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from tests.conftest import Tenants
from tests.fixtures.web import login

pytestmark = pytest.mark.django_db


def test_schema_and_docs_need_a_login(tenants: Tenants) -> None:
    anonymous = APIClient()
    assert anonymous.get("/api/schema/").status_code in (401, 403)
    response = anonymous.get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_docs_need_the_two_factor_code_of_a_user_with_a_device(tenants: Tenants, client: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=tenants.a.lawyer, name="phone", confirmed=True)
    login(client, tenants.a.lawyer)
    assert client.get("/api/docs/")["Location"].startswith("/account/verify/")
    assert client.get("/api/schema/").status_code == 403


def test_swagger_ui_is_served_locally_with_a_nonce(tenants: Tenants, client: Any) -> None:
    login(client, tenants.a.lawyer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", re.sub(r'url: "[^"]*"', "", html)), "no third-party script or style"
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset  # shipped by drf-spectacular-sidecar
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    inline = re.findall(r"<(script|style)( nonce=\"([^\"]*)\")?>", html)
    assert inline and all(found_nonce == nonce for _, _, found_nonce in inline)


@pytest.mark.parametrize("path", ["/", "/clients/", "/login/", "/account/two-factor/", "/firm/"])
def test_pages_carry_csp_and_no_store(tenants: Tenants, client: Any, path: str) -> None:
    if path != "/login/":
        login(client, tenants.a.admin)
    response = client.get(path)
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/v1/clients/", "/api/v1/me", "/api/v1/audit-events/"])
def test_api_answers_are_not_stored(tenants: Tenants, api: Any, path: str) -> None:
    user = tenants.a.portal_user if "/me" in path else tenants.a.admin
    response = api(user).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
