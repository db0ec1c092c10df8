"""Pages of the scoring app, included at the site root by config.urls."""

from django.urls import path

from scoring.web import views

urlpatterns = [
    path("portal/score/", views.portal_score, name="portal-score"),
]
