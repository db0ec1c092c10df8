from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    verbose_name = "Pathway assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pathways.receivers import receivers_connect  # models are loaded only now

        receivers_connect()
