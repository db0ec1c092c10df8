"""Server-side sessions indexed by user (ASVS 7.4): deactivating a user, a password change or a
two-factor reset ends their sessions with one indexed DELETE.

The store is Django's database store on `firm.UserSession`, which carries the user id of the session
(written on every save, so a key cycled at login or at a password change stays indexed).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore


def user_sessions_revoke(*, user_id: int, keep: str | None = None) -> int:
    """Delete every session of the user (except `keep`, the caller's own session key, if given)."""
    from firm.models import UserSession

    sessions = UserSession.objects.filter(user_id=user_id)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    deleted, _ = sessions.delete()
    return deleted


class SessionStore(DbSessionStore):
    """The database session store on `UserSession`, refusing malformed session keys before they reach
    the database (a cookie with a NUL byte made PostgreSQL raise DataError: a 500 on every page)."""

    @classmethod
    def get_model_class(cls) -> type:
        from firm.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        try:
            instance.user_id = int(user_id) if user_id is not None else None
        except (TypeError, ValueError):
            instance.user_id = None
        return instance

    def _get_session_from_db(self) -> Any:
        key = self.session_key or ""
        if not (key.isascii() and key.isalnum() and 8 <= len(key) <= 40):
            self._session_key = None
            return None
        return super()._get_session_from_db()
