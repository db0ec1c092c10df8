"""Production email: SMTP through EMAIL_URL, or a provider's API through django-anymail (EMAIL_PROVIDER)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.EMAIL_BACKEND); print(sorted(getattr(settings, 'ANYMAIL', {}).items()))"
)


def _settings(extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env: dict[str, str] = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "VAR_DIR": str(tmp_path),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_smtp_relay_by_default(tmp_path):
    result = _settings({"EMAIL_URL": "smtp+tls://alerts%40firm.ca:pw@smtp.office365.com:587"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "django.core.mail.backends.smtp.EmailBackend"


def test_api_providers_through_anymail(tmp_path):
    cases = {
        "postmark": (
            {"POSTMARK_SERVER_TOKEN": "pm-token"},
            "anymail.backends.postmark.EmailBackend",
            "pm-token",
        ),
        "sendgrid": ({"SENDGRID_API_KEY": "sg-key"}, "anymail.backends.sendgrid.EmailBackend", "sg-key"),
        "amazon_ses": (
            {"AWS_SES_REGION": "ca-central-1"},
            "anymail.backends.amazon_ses.EmailBackend",
            "ca-central-1",
        ),
        "mailgun": (
            {"MAILGUN_API_KEY": "mg-key", "MAILGUN_SENDER_DOMAIN": "mg.firm.ca"},
            "anymail.backends.mailgun.EmailBackend",
            "mg.firm.ca",
        ),
    }
    for provider, (extra, backend, marker) in cases.items():
        result = _settings({"EMAIL_PROVIDER": provider, **extra}, tmp_path)
        assert result.returncode == 0, (provider, result.stderr)
        lines = result.stdout.splitlines()
        assert lines[0] == backend and marker in lines[1], provider


def test_unknown_provider_or_missing_key_refuses_to_start(tmp_path):
    result = _settings({"EMAIL_PROVIDER": "carrier-pigeon"}, tmp_path)
    assert result.returncode != 0 and "EMAIL_PROVIDER must be one of" in result.stderr
    result = _settings({"EMAIL_PROVIDER": "postmark"}, tmp_path)
    assert result.returncode != 0 and "POSTMARK_SERVER_TOKEN" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    """Docker secrets: NAME_FILE=/run/secrets/name instead of NAME (django-environ's FileAwareEnv)."""
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50))
    token = tmp_path / "postmark_token"
    token.write_text("token-from-a-file")
    env = {
        "EMAIL_PROVIDER": "postmark",
        "POSTMARK_SERVER_TOKEN_FILE": str(token),
        "SECRET_KEY_FILE": str(secret),
    }
    result = _settings(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "token-from-a-file" in result.stdout.splitlines()[1]
