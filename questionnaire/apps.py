from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnaireConfig(AppConfig):
    name = "questionnaire"
    verbose_name = _("Client questionnaire")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from questionnaire import emails

        emails.register()
