from django.apps import AppConfig


class FirmConfig(AppConfig):
    name = "firm"
    verbose_name = "Firm and clients"
    default_auto_field = "django.db.models.BigAutoField"
