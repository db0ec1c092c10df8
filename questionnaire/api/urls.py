from django.urls import path

from questionnaire.api import views

urlpatterns = [
    path("me/questionnaire/", views.MeQuestionnaireView.as_view(), name="api-me-questionnaire"),
    path(
        "me/questionnaire/submit/",
        views.MeQuestionnaireSubmitView.as_view(),
        name="api-me-questionnaire-submit",
    ),
    path(
        "me/questionnaire/documents/",
        views.MeQuestionnaireUploadView.as_view(),
        name="api-me-questionnaire-documents",
    ),
    path(
        "clients/<int:client_id>/questionnaire/",
        views.ClientQuestionnaireView.as_view(),
        name="api-client-questionnaire",
    ),
    path(
        "clients/<int:client_id>/questionnaire/review/",
        views.ClientQuestionnaireReviewView.as_view(),
        name="api-client-questionnaire-review",
    ),
    path(
        "clients/<int:client_id>/questionnaire/send/",
        views.ClientQuestionnaireSendView.as_view(),
        name="api-client-questionnaire-send",
    ),
    path(
        "clients/<int:client_id>/questionnaire/return/",
        views.ClientQuestionnaireReturnView.as_view(),
        name="api-client-questionnaire-return",
    ),
]
