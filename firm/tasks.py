"""Celery tasks of the firm app: the account emails. Thin: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from firm import account_mail, emails
from firm.models import User


def _active_user(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).select_related("client_profile").first()


@shared_task(name="firm.tasks.magic_link_email_task", acks_late=True, max_retries=3, default_retry_delay=30)
def magic_link_email_task(user_id: int, base_url: str) -> bool:
    user = _active_user(user_id)
    if user is None or getattr(user, "client_profile", None) is None:
        return False
    account_mail.magic_link_email(user=user, base_url=base_url)
    return True


@shared_task(
    name="firm.tasks.password_reset_email_task", acks_late=True, max_retries=3, default_retry_delay=30
)
def password_reset_email_task(user_id: int, domain: str, use_https: bool) -> bool:
    user = _active_user(user_id)
    if user is None:
        return False
    account_mail.password_reset_email(user=user, domain=domain, use_https=use_https)
    return True


@shared_task(
    name="firm.tasks.staff_invite_existing_email_task", acks_late=True, max_retries=3, default_retry_delay=30
)
def staff_invite_existing_email_task(user_id: int, firm_name: str, base_url: str) -> bool:
    user = _active_user(user_id)
    if user is None:
        return False
    account_mail.staff_invite_existing_email(user=user, firm_name=firm_name, base_url=base_url)
    return True


@shared_task(
    name="firm.tasks.staff_invitation_email_task", acks_late=True, max_retries=3, default_retry_delay=30
)
def staff_invitation_email_task(user_id: int, invited_by_id: int | None, base_url: str) -> bool:
    """A new staff member's invitation: who added them, to which firm, and the link to choose a password."""
    user = _active_user(user_id)
    if user is None:
        return False
    inviter = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    emails.staff_invitation_send(user=user, invited_by=inviter, base_url=base_url)
    return True
