from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        from firm.events import event_published
        from integrations.services.webhooks import on_event_published, render_disabled_email
        from notifications.models import Notification
        from notifications.services import register_renderer

        event_published.connect(on_event_published, dispatch_uid="integrations.webhooks")
        register_renderer(Notification.Kind.WEBHOOK_DISABLED, render_disabled_email)
