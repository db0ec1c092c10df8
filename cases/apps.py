from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases and documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases import receivers

        receivers.connect()
