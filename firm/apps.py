from django.apps import AppConfig


class FirmConfig(AppConfig):
    name = "firm"
    verbose_name = "Firm and clients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from firm import tokens
        from firm.models import User

        pre_save.connect(tokens.user_pre_save, sender=User, dispatch_uid="firm.tokens.user_pre_save")
        post_save.connect(tokens.user_post_save, sender=User, dispatch_uid="firm.tokens.user_post_save")
