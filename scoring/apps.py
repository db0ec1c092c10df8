from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "CRS scoring and Express Entry draws"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from scoring.services.alerts import alerts_register  # models are loaded only now

        alerts_register()
