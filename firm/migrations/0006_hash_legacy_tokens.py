"""Move the plaintext DRF tokens (`authtoken_token`, from before django-rest-knox) to hashed, expiring
`firm.AuthToken` rows, then delete the plaintext rows.

Each legacy token keeps working until it expires (API_TOKEN_TTL_HOURS from the migration) under the name
"Migrated token"; it was not issued with a two-factor code, so it stops working for staff of a firm that
requires two-factor (as any such token). The hash is knox's: SHA-512 of the token, hex; the token key is
its first 15 characters. The old table stays (empty) until `rest_framework.authtoken` is migrated away.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TOKEN_KEY_LENGTH = 15


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("firm", "AuthToken")
    expiry = timezone.now() + timedelta(hours=getattr(settings, "API_TOKEN_TTL_HOURS", 12))
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    AuthToken.objects.bulk_create(
        [
            AuthToken(
                digest=hashlib.sha512(key.encode()).hexdigest(),
                token_key=key[:TOKEN_KEY_LENGTH],
                user_id=user_id,
                expiry=expiry,
                name="Migrated token",
                otp_verified=False,
            )
            for key, user_id in rows
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("firm", "0005_auth_tokens_user_sessions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
