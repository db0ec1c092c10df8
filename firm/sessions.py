"""Server-side session revocation (ASVS 7.4): deactivating a user ends their sessions."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone


def user_sessions_revoke(*, user_id: int) -> int:
    revoked = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            revoked += 1
    return revoked
