"""The account emails (one-time login link, password reset), rendered in the user's language with a
text and an HTML part. Sent from Celery tasks (`firm.tasks`), never from the request: a request only
enqueues, so the page answers at once and the same for every address.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from firm.emails import firm_of, language_of, send_email
from firm.models import User


def _send(*, user: User, template: str, context: dict) -> None:
    """One account email through the shared renderer (firm.emails), in the user's language."""
    send_email(
        template,
        to=user.email,
        language=language_of(user),
        context={**context, "user": user, "firm": firm_of(user)},
    )


def magic_link_email(*, user: User, base_url: str) -> None:
    """Issue a fresh one-time login link (the previous live one stops working) and email it."""
    from firm.security import MAGIC_LINK_MAX_AGE, magic_link_issue

    token = magic_link_issue(user=user)
    link = base_url.rstrip("/") + reverse("magic-link-login", kwargs={"token": token})
    _send(user=user, template="magic_link", context={"link": link, "minutes": MAGIC_LINK_MAX_AGE // 60})


def password_reset_email(*, user: User, domain: str, use_https: bool) -> None:
    """Django's password-reset email (same link and token generator), sent for one user."""
    context = {
        "email": user.email,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    _send(user=user, template="password_reset", context=context)


def staff_invite_existing_email(*, user: User, firm_name: str, base_url: str) -> None:
    """A firm tried to add this address as staff, but it already has an account (here or at another
    firm): tell its owner, who can ask the firm to use another address."""
    login_url = base_url.rstrip("/") + reverse("login")
    _send(
        user=user, template="staff_invite_existing", context={"firm_name": firm_name, "login_url": login_url}
    )
