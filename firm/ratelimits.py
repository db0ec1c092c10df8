"""Rate limits on the pages that send email to an address typed by anyone (one-time login link,
password reset): per address and per client IP, counted in the cache (django-ratelimit).

The limits are settings (`ACCOUNT_EMAIL_RATE_PER_ADDRESS`, `ACCOUNT_EMAIL_RATE_PER_IP`, django-ratelimit
rate strings such as "3/15m"); production's cache is Redis, shared by every web worker. Behind a proxy,
set `RATELIMIT_IP_META_KEY` so the client's address is read from the right header.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def account_email_limited(request: HttpRequest, *, group: str, address: str) -> bool:
    """Count one request for this IP and this address; True when either is over its limit."""
    address = (address or "").strip().lower()
    by_ip = is_ratelimited(
        request, group=f"{group}:ip", key="ip", rate=settings.ACCOUNT_EMAIL_RATE_PER_IP, increment=True
    )
    by_address = is_ratelimited(
        request,
        group=f"{group}:address",
        key=lambda _group, _request: address,
        rate=settings.ACCOUNT_EMAIL_RATE_PER_ADDRESS,
        increment=True,
    )
    return by_ip or by_address
