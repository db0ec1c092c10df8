"""Settings per mode. `DJANGO_ENV` (local | production | test) picks the module; see manage.py."""
