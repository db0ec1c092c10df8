"""Signing and verifying webhook bodies (pure Python, no Django).

* Standard Webhooks (https://www.standardwebhooks.com/, the spec's "Signature scheme"): the secret is
  `whsec_` + base64 of random bytes; the key is those bytes. Headers `webhook-id`, `webhook-timestamp`
  (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`
  (several space-separated signatures may be sent; any valid one passes). Timestamps more than five
  minutes away are refused (replay protection).
* Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, raw body)>`.
* Tally: `Tally-Signature: <base64 HMAC-SHA256(secret, body)>`.
* Jotform does not sign: the source URL carries a long random token, compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

WHSEC_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


class SignatureError(Exception):
    """Missing or wrong signature (answered 401, logged, never processed)."""


def new_whsec() -> str:
    return WHSEC_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _b64_hmac(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def whsec_key(secret: str) -> bytes:
    raw = secret[len(WHSEC_PREFIX) :] if secret.startswith(WHSEC_PREFIX) else secret
    return base64.b64decode(raw)


def standard_sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + _b64_hmac(whsec_key(secret), signed)


def standard_headers(
    *, secret: str, msg_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": standard_sign(secret=secret, msg_id=msg_id, timestamp=ts, body=body),
    }


def standard_verify(*, secret: str, headers: dict[str, str], body: bytes, now: float | None = None) -> str:
    """Check Standard Webhooks headers; returns the webhook-id. `headers` keys are lower-case."""
    msg_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (msg_id and stamp and signatures):
        raise SignatureError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        ts = int(stamp)
    except ValueError as exc:
        raise SignatureError("bad webhook-timestamp") from exc
    if abs((time.time() if now is None else now) - ts) > TOLERANCE_SECONDS:
        raise SignatureError("webhook-timestamp too old or too new")
    expected = standard_sign(secret=secret, msg_id=msg_id, timestamp=ts, body=body)
    for candidate in signatures.split():
        if candidate.startswith("v1,") and hmac.compare_digest(candidate.encode(), expected.encode()):
            return msg_id
    raise SignatureError("no valid v1 signature")


def typeform_signature(*, secret: str, body: bytes) -> str:
    return "sha256=" + _b64_hmac(secret.encode(), body)


def typeform_verify(*, secret: str, header: str, body: bytes) -> None:
    if not header:
        raise SignatureError("missing Typeform-Signature")
    if not hmac.compare_digest(
        header.strip().encode(), typeform_signature(secret=secret, body=body).encode()
    ):
        raise SignatureError("bad Typeform-Signature")


def tally_signature(*, secret: str, body: bytes) -> str:
    return _b64_hmac(secret.encode(), body)


def tally_verify(*, secret: str, header: str, body: bytes) -> None:
    if not header:
        raise SignatureError("missing Tally-Signature")
    if not hmac.compare_digest(header.strip().encode(), tally_signature(secret=secret, body=body).encode()):
        raise SignatureError("bad Tally-Signature")


def token_verify(*, secret: str, token: str) -> None:
    if not token:
        raise SignatureError("missing token")
    if not hmac.compare_digest(token.encode(), secret.encode()):
        raise SignatureError("bad token")
