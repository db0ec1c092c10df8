"""Firm admin (role admin only): staff, API keys, alert and security settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firm import selectors as firm_selectors
from firm import services as firm_services
from firm.errors import ApplicationError
from firm.security import two_factor_reset
from firm.staff_invites import staff_invite
from firm.web.common import apply_errors, get_actor, staff_page
from firm.web.forms import (
    ApiKeyForm,
    FirmSettingsForm,
    MembershipForm,
    StaffCreateForm,
)


def _context(request: HttpRequest, **extra):
    actor = get_actor(request)
    firm = firm_selectors.firm_get(actor=actor)
    staff = list(firm_selectors.staff_list(actor=actor).order_by("-is_active", "user__email"))
    return {
        "firm": firm,
        "staff": [
            (m, MembershipForm(initial={"role": m.role, "is_active": m.is_active}, prefix=f"m{m.pk}"))
            for m in staff
        ],
        "api_keys": firm_selectors.api_key_list(actor=actor),
        "staff_form": extra.pop("staff_form", None) or StaffCreateForm(prefix="staff"),
        "key_form": extra.pop("key_form", None) or ApiKeyForm(prefix="key"),
        "settings_form": extra.pop("settings_form", None)
        or FirmSettingsForm(
            initial={
                "email_clients_on_draw": firm.email_clients_on_draw,
                "require_two_factor": firm.require_two_factor,
            }
        ),
        **extra,
    }


@staff_page(permission="staff.manage")
def firm_admin(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/firm_admin.html", _context(request))


@staff_page(permission="staff.manage")
@require_POST
def staff_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = StaffCreateForm(request.POST, prefix="staff")
    if form.is_valid():
        try:
            staff_invite(
                actor=actor,
                firm=firm_selectors.firm_get(actor=actor),
                domain=request.get_host(),
                use_https=request.is_secure(),
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            # The same message whether or not the address has an account elsewhere (firm.staff_invites).
            messages.success(
                request,
                _("%(email)s was invited: an email is on its way to that address.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("firm-admin")
    return render(
        request,
        "staff/firm_admin.html",
        _context(request, staff_form=form, canonical_url=reverse("firm-admin")),
        status=400,
    )


@staff_page(permission="staff.manage")
@require_POST
def membership_update(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = get_actor(request)
    membership = firm_selectors.staff_list(actor=actor).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    form = MembershipForm(request.POST, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            firm_services.membership_update(
                actor=actor,
                membership=membership,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
            )
        except (ApplicationError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ApplicationError) else " ".join(exc.messages)
            messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("firm-admin")


@staff_page(permission="apikey.manage")
@require_POST
def api_key_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = ApiKeyForm(request.POST, prefix="key")
    if form.is_valid():
        try:
            key, secret = firm_services.api_key_create(
                actor=actor,
                firm=firm_selectors.firm_get(actor=actor),
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            # Shown once, in this response only; never stored or shown again.
            response = render(
                request,
                "staff/firm_admin.html",
                _context(request, new_key=key, new_secret=secret, canonical_url=reverse("firm-admin")),
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "staff/firm_admin.html",
        _context(request, key_form=form, canonical_url=reverse("firm-admin")),
        status=400,
    )


@staff_page(permission="apikey.manage")
@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    actor = get_actor(request)
    key = firm_selectors.api_key_list(actor=actor).filter(pk=key_id).first()
    if key is None:
        raise Http404
    firm_services.api_key_revoke(actor=actor, key=key)
    messages.success(request, _("The key was revoked."))
    return redirect("firm-admin")


@staff_page(permission="firm.settings")
@require_POST
def firm_settings(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = FirmSettingsForm(request.POST)
    if form.is_valid():
        try:
            firm_services.firm_settings_update(
                actor=actor, firm=firm_selectors.firm_get(actor=actor), data=form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("firm-admin")
    return render(
        request,
        "staff/firm_admin.html",
        _context(request, settings_form=form, canonical_url=reverse("firm-admin")),
        status=400,
    )


@staff_page(permission="staff.manage")
@require_POST
def membership_two_factor_reset(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Remove a staff member's two-factor devices (a lost phone); audited (firm.security.two_factor_reset)."""
    actor = get_actor(request)
    membership = firm_selectors.staff_list(actor=actor).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    try:
        two_factor_reset(actor=actor, membership=membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Two-factor authentication of %(email)s was reset; they set it up again at their next login.")
            % {"email": membership.user.email},
        )
    return redirect("firm-admin")
