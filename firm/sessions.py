"""Server-side session revocation (ASVS 7.4): deactivating a user ends their sessions."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone


def user_sessions_revoke(*, user_id: int) -> int:
    revoked = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            revoked += 1
    return revoked


class SessionStore(DbSessionStore):
    """The database session store, refusing malformed session keys before they reach the database.

    Django generates keys of 32 lowercase letters and digits but looks up whatever the cookie holds;
    a cookie with a NUL byte made PostgreSQL raise DataError (a 500 on every page and API call).
    """

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key or ""
        if not (key.isascii() and key.isalnum() and 8 <= len(key) <= 40):
            self._session_key = None
            return None
        return super()._get_session_from_db()
