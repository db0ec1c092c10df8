from django.urls import path, re_path

from questionnaire.api import views

CLIENT = r"^clients/(?P<client_id>-?[0-9]+)/questionnaire/"

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
    re_path(CLIENT + "$", views.ClientQuestionnaireView.as_view(), name="api-client-questionnaire"),
    re_path(
        CLIENT + "review/$",
        views.ClientQuestionnaireReviewView.as_view(),
        name="api-client-questionnaire-review",
    ),
    re_path(
        CLIENT + "send/$", views.ClientQuestionnaireSendView.as_view(), name="api-client-questionnaire-send"
    ),
    re_path(
        CLIENT + "return/$",
        views.ClientQuestionnaireReturnView.as_view(),
        name="api-client-questionnaire-return",
    ),
]
