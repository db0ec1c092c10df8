"""The Django admin site: django-otp's `OTPAdminSite`, so every admin page needs a session that passed
the two-factor check, and the login goes through the site's own pages (password, then the code).

- not logged in -> the login page (`/login/?next=/admin/`), then the code page when the user has a device;
- logged in with a device, not verified in this session -> the code page;
- logged in without a device -> the two-factor setup page (the admin shows every firm's data: a password
  alone never opens it, whatever the firm's setting);
- verified but not `is_staff` -> Django's own "not authorised" answer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.admin import OTPAdminSite


class MapleAdminSite(OTPAdminSite):
    site_header = "MapleCase administration"
    site_title = "MapleCase admin"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        from firm import security

        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
        if not user.is_verified():
            if security.has_confirmed_device(user=user):
                return redirect(f"{reverse('otp-verify')}?{urlencode({'next': target})}")
            messages.info(
                request, _("The administration needs two-factor authentication. Set it up to go on.")
            )
            return redirect("otp-setup")
        return super().login(request, extra_context)
