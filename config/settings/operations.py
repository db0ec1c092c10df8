"""Production platform settings, built from the environment (issue 19; docs/operations.md).

Each function returns plain settings values; `base.py` and `production.py` call them in their
"Operations" blocks. Nothing here reads a secret from a file in the repository.
"""

from __future__ import annotations

from typing import Any

import environ

# --- Documents: local disk or S3-compatible object storage ------------------------------------------------


def private_storage(env: environ.Env) -> dict[str, Any]:
    """The `private` STORAGES entry. Object storage when DOCUMENTS_S3_BUCKET is set, else local disk."""
    bucket = env("DOCUMENTS_S3_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "cases.storage.PrivateFileSystemStorage"}
    endpoint = env("DOCUMENTS_S3_ENDPOINT_URL", default="") or None
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Canadian data residency: AWS Canada (Central) by default; a Canadian-hosted S3-compatible
        # service sets DOCUMENTS_S3_ENDPOINT_URL and its own region name.
        "region_name": env("DOCUMENTS_S3_REGION", default="ca-central-1"),
        "endpoint_url": endpoint,
        "access_key": env("DOCUMENTS_S3_ACCESS_KEY_ID", default="") or None,  # None: the instance role
        "secret_key": env("DOCUMENTS_S3_SECRET_ACCESS_KEY", default="") or None,
        "location": env("DOCUMENTS_S3_PREFIX", default="documents"),
        "default_acl": "private",
        "querystring_auth": True,  # any URL is signed ...
        "querystring_expire": env.int("DOCUMENTS_S3_URL_EXPIRE_SECONDS", default=60),  # ... and short-lived
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": env("DOCUMENTS_S3_ADDRESSING_STYLE", default="path" if endpoint else "auto"),
        "object_parameters": {},
    }
    sse = env("DOCUMENTS_S3_SSE", default="" if endpoint else "AES256")
    if sse:
        options["object_parameters"]["ServerSideEncryption"] = sse
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# --- Email: SMTP or a provider's API through django-anymail -----------------------------------------------

ANYMAIL_PROVIDERS: dict[str, tuple[str, dict[str, str]]] = {
    # provider -> (backend, ANYMAIL setting -> environment variable)
    "amazon_ses": ("anymail.backends.amazon_ses.EmailBackend", {}),  # AWS credentials/role + region
    "postmark": (
        "anymail.backends.postmark.EmailBackend",
        {"POSTMARK_SERVER_TOKEN": "POSTMARK_SERVER_TOKEN"},
    ),
    "sendgrid": ("anymail.backends.sendgrid.EmailBackend", {"SENDGRID_API_KEY": "SENDGRID_API_KEY"}),
    "mailgun": (
        "anymail.backends.mailgun.EmailBackend",
        {"MAILGUN_API_KEY": "MAILGUN_API_KEY", "MAILGUN_SENDER_DOMAIN": "MAILGUN_SENDER_DOMAIN"},
    ),
    "brevo": ("anymail.backends.brevo.EmailBackend", {"BREVO_API_KEY": "BREVO_API_KEY"}),
}


def email_settings(env: environ.Env) -> dict[str, Any]:
    """EMAIL_PROVIDER=smtp (EMAIL_URL, e.g. Microsoft 365 or Google Workspace relay) or an API provider."""
    provider = env("EMAIL_PROVIDER", default="smtp")
    if provider == "smtp":
        return dict(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
    if provider not in ANYMAIL_PROVIDERS:
        from django.core.exceptions import ImproperlyConfigured

        choices = ", ".join(["smtp", *ANYMAIL_PROVIDERS])
        raise ImproperlyConfigured(f"EMAIL_PROVIDER must be one of {choices}, not {provider!r}.")
    backend, keys = ANYMAIL_PROVIDERS[provider]
    anymail: dict[str, Any] = {name: env(var) for name, var in keys.items()}
    if provider == "amazon_ses":
        anymail["AMAZON_SES_CLIENT_PARAMS"] = {"region_name": env("AWS_SES_REGION", default="ca-central-1")}
    if provider == "mailgun" and env("MAILGUN_API_URL", default=""):
        anymail["MAILGUN_API_URL"] = env("MAILGUN_API_URL")  # e.g. https://api.eu.mailgun.net/v3
    return {"EMAIL_BACKEND": backend, "ANYMAIL": anymail}


# --- Errors: Sentry, off unless a DSN is set ---------------------------------------------------------------


def init_sentry(env: environ.Env) -> bool:
    dsn = env("SENTRY_DSN", default="")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default="") or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,  # client files hold personal information: no bodies, cookies or users
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
    return True
