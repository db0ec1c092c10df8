from django.urls import path

from questionnaire.web import portal, staff

urlpatterns = [
    path("portal/questionnaire/", portal.questionnaire_home, name="portal-questionnaire"),
    path("portal/questionnaire/submit/", portal.questionnaire_submit, name="portal-questionnaire-submit"),
    path(
        "portal/questionnaire/<slug:key>/", portal.questionnaire_section, name="portal-questionnaire-section"
    ),
    path(
        "portal/questionnaire/<slug:key>/preview/",
        portal.questionnaire_preview,
        name="portal-questionnaire-preview",
    ),
    path(
        "portal/questionnaire/<slug:key>/<slug:table>/proof/",
        portal.questionnaire_proof,
        name="portal-questionnaire-proof",
    ),
    path(
        "portal/questionnaire/<slug:key>/<slug:table>/<str:index>/",
        portal.questionnaire_row,
        name="portal-questionnaire-row",
    ),
    path("clients/<int:client_id>/questionnaire/", staff.client_questionnaire, name="client-questionnaire"),
    path(
        "clients/<int:client_id>/questionnaire/review/",
        staff.client_questionnaire_review,
        name="client-questionnaire-review",
    ),
    path(
        "clients/<int:client_id>/questionnaire/send/",
        staff.client_questionnaire_send,
        name="client-questionnaire-send",
    ),
    path(
        "clients/<int:client_id>/questionnaire/return/",
        staff.client_questionnaire_return,
        name="client-questionnaire-return",
    ),
]
