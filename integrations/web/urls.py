"""Pages of integrations (firm admins; staff see failed intake submissions)."""

from django.urls import path

from integrations.web import views

urlpatterns = [
    path("integrations/", views.integrations_home, name="integrations"),
    path("integrations/sources/new/", views.source_create, name="intake-source-create"),
    path("integrations/sources/<int:source_id>/", views.source_detail, name="intake-source-detail"),
    path("integrations/sources/<int:source_id>/save/", views.source_update, name="intake-source-update"),
    path("integrations/sources/<int:source_id>/test/", views.source_test, name="intake-source-test"),
    path("integrations/sources/<int:source_id>/secret/", views.source_rotate, name="intake-source-rotate"),
    path(
        "integrations/submissions/<int:submission_id>/replay/",
        views.submission_replay,
        name="intake-submission-replay",
    ),
    path("integrations/webhooks/new/", views.endpoint_create, name="webhook-endpoint-create"),
    path("integrations/webhooks/<int:endpoint_id>/", views.endpoint_detail, name="webhook-endpoint-detail"),
    path(
        "integrations/webhooks/<int:endpoint_id>/save/",
        views.endpoint_update,
        name="webhook-endpoint-update",
    ),
    path(
        "integrations/webhooks/<int:endpoint_id>/secret/",
        views.endpoint_rotate,
        name="webhook-endpoint-rotate",
    ),
    path(
        "integrations/deliveries/<int:delivery_id>/replay/",
        views.delivery_replay,
        name="webhook-delivery-replay",
    ),
]
