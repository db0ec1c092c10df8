from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from operations import metrics, requestid

        requestid.connect_celery_signals()
        metrics.register_collector()
