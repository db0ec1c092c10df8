"""Account emails (staff invitation, client portal invitation, password reset, one-time login link).

Every email here has a subject, a text part and an HTML part (templates `email/<name>_subject.txt`,
`email/<name>.txt`, `email/<name>.html`), names the firm, carries a working absolute link, and is
written in the recipient's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from firm.models import Firm, User

# Django's reset tokens last PASSWORD_RESET_TIMEOUT seconds (3 days by default): said in the emails.
INVITATION_DAYS = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def absolute(path: str, base_url: str | None = None) -> str:
    """An absolute link: the request's own host when there is one, else settings.SITE_URL."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    return f"{base}{path}"


def language_of(user: User) -> str:
    client = getattr(user, "client_profile", None) if user is not None else None
    return (
        (client.preferred_language if client else None) or user.preferred_language or settings.LANGUAGE_CODE
    )


def firm_of(user: User) -> Firm | None:
    membership = getattr(user, "membership", None)
    if membership is not None:
        return membership.firm
    client = getattr(user, "client_profile", None)
    return client.firm if client is not None else None


def password_link(user: User, base_url: str | None = None) -> str:
    """The "choose your password" link (Django's reset token: single use, expires)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}), base_url)


def render_email(name: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """(subject, text, html) of `email/<name>` in `language`."""
    context = {"site_name": settings.SITE_NAME, "LANGUAGE_CODE": language, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
        text = render_to_string(f"email/{name}.txt", context)
        html = render_to_string(f"email/{name}.html", context)
    return subject, text, html


def send_email(name: str, *, to: str, context: dict[str, Any], language: str, from_email: str = "") -> None:
    subject, text, html = render_email(name, context, language)
    message = EmailMultiAlternatives(subject, text, from_email or settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def staff_invitation_send(*, user: User, invited_by: Any = None, base_url: str | None = None) -> None:
    """A new staff member's welcome: who added them, to which firm, in which role; choose a password."""
    membership = getattr(user, "membership", None)
    send_email(
        "staff_invitation",
        to=user.email,
        language=language_of(user),
        context={
            "user": user,
            "firm": firm_of(user),
            "role": membership.get_role_display() if membership else "",
            "invited_by": invited_by,
            "link": password_link(user, base_url),
            "login_url": absolute(reverse("login"), base_url),
            "days": INVITATION_DAYS,
        },
    )


def portal_invitation_send(*, user: User, base_url: str | None = None) -> None:
    """A client's invitation to the portal: what it is for, a link to choose a password, the login page."""
    send_email(
        "portal_invitation",
        to=user.email,
        language=language_of(user),
        context={
            "user": user,
            "firm": firm_of(user),
            "link": password_link(user, base_url),
            "login_url": absolute(reverse("login"), base_url),
            "magic_url": absolute(reverse("magic-link-request"), base_url),
            "days": INVITATION_DAYS,
        },
    )


def notification_links(*, client: Any = None, recipient: Any = None) -> dict[str, str]:
    """Links every outbox email carries: the portal (only for a client who has access), the dashboard
    (staff), and a contact address (the client's lawyer, else the site's sender)."""
    links = {"site_url": absolute("/"), "dashboard_url": absolute(reverse("home"))}
    if client is not None:
        if client.portal_user_id:
            links["portal_url"] = absolute(reverse("home"))
        lawyer = getattr(client, "assigned_lawyer", None)
        links["contact_email"] = (lawyer.email if lawyer else "") or settings.DEFAULT_FROM_EMAIL
        links["client_url"] = absolute(reverse("client-detail", args=[client.pk]))
    return links
