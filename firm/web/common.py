"""What every page shares: the actor, access rules (login, 2FA, role), language choice, errors.

Access rules, in order, for every page behind `staff_page` / `portal_page` / `member_page`:
1. anonymous -> the login page (with ?next=);
2. a login that is neither active staff nor a client (deactivated membership) -> logged out;
3. a user with a confirmed OTP device who has not verified this session -> the token page;
4. staff of a firm that requires two-factor, without a device -> the setup page;
5. the page's audience: clients never reach staff pages and staff never reach portal pages (404),
   and a page may also require a permission (e.g. `staff.manage`) -> 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from firm import security
from firm.errors import ApplicationError, NotFoundError
from firm.errors import PermissionDeniedError as ServicePermissionDenied
from firm.scoping import Actor, actor_for_request

View = Callable[..., HttpResponse]
LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


def get_actor(request: HttpRequest) -> Actor:
    return actor_for_request(request)


def apply_language(request: HttpRequest) -> str | None:
    """?language=xx wins (and is remembered in the cookie), then the cookie, then the user's preference.

    Returns the code to store in the cookie when it came from the query string.
    """
    wanted = request.GET.get("language")
    if wanted in LANGUAGE_CODES:
        translation.activate(wanted)
        request.LANGUAGE_CODE = wanted
        return wanted
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in LANGUAGE_CODES:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        client = getattr(user, "client_profile", None) if hasattr(user, "client_profile") else None
        preferred = (client.preferred_language if client else None) or user.preferred_language
        if preferred in LANGUAGE_CODES:
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
    return None


def localized(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        remember = apply_language(request)
        response = view(request, *args, **kwargs)
        if remember:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                remember,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response

    return wrapper


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")


def access_problem(request: HttpRequest) -> HttpResponse | None:
    """Steps 1-4 above; None when the request may go on."""
    user = request.user
    if not user.is_authenticated:
        return _login_redirect(request)
    actor = get_actor(request)
    if actor.kind == "anonymous":
        logout(request)
        messages.error(request, translation.gettext("Your account is not active. Contact your firm."))
        return redirect("login")
    state = security.two_factor_state(user=user)
    if state == "verify":
        return redirect(f"{reverse('otp-verify')}?{urlencode({'next': request.get_full_path()})}")
    if state == "enrol":
        messages.info(
            request, translation.gettext("Your firm requires two-factor authentication. Set it up to go on.")
        )
        return redirect("otp-setup")
    return None


def _page(audience: str, permission: str | None = None) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            problem = access_problem(request)
            if problem is not None:
                return problem
            actor = get_actor(request)
            if audience == "staff" and not actor.is_staff:
                raise Http404
            if audience == "client" and not actor.is_client:
                raise Http404
            if permission and not actor.can(permission):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFoundError:
                raise Http404 from None
            except ServicePermissionDenied:
                raise PermissionDenied from None

        return localized(wrapper)

    return decorator


def staff_page(view: View | None = None, *, permission: str | None = None) -> Any:
    if view is not None:
        return _page("staff")(view)
    return _page("staff", permission)


def portal_page(view: View) -> View:
    return _page("client")(view)


def member_page(view: View) -> View:
    """Any logged-in staff member or client (e.g. document download, home)."""
    return _page("any")(view)


def authenticated_only(view: View) -> View:
    """Logged in, but before the 2FA checks (the 2FA setup and verify pages themselves)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _login_redirect(request)
        return view(request, *args, **kwargs)

    return localized(wrapper)


def apply_errors(form: Any, exc: ApplicationError | ValidationError) -> None:
    """Put a service's errors on the form, per field where the form has that field."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
        else:
            form.add_error(
                None, f"{name}: {message}" if name not in ("non_field_errors", "__all__") else message
            )
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def safe_next(request: HttpRequest, default: str = "home") -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)
