"""Pages: the staff dashboard, the client portal and accounts. Included at the site root by firm.urls."""

from django.urls import include, path

from firm.views import accounts, admin_pages, portal, staff

urlpatterns = [
    path("", staff.home, name="home"),
    # accounts
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("login/link/", accounts.magic_link_request_view, name="magic-link-request"),
    path("login/link/<str:token>/", accounts.magic_link_login_view, name="magic-link-login"),
    path("account/two-factor/", accounts.otp_setup_view, name="otp-setup"),
    path("account/verify/", accounts.otp_verify_view, name="otp-verify"),
    path("password-reset/", accounts.password_reset_view, name="password_reset"),
    path("password-reset/sent/", accounts.password_reset_done_view, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", accounts.password_reset_complete_view, name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    # staff: clients
    path("clients/", staff.client_list, name="client-list"),
    path("clients/<int:client_id>/", staff.client_detail, name="client-detail"),
    path("clients/<int:client_id>/edit/", staff.client_edit, name="client-edit"),
    path("clients/<int:client_id>/invite/", staff.client_invite, name="client-invite"),
    path("clients/<int:client_id>/cases/new/", staff.case_create, name="case-create"),
    path("clients/<int:client_id>/facts/<str:kind>/new/", staff.client_fact_edit, name="fact-create"),
    path("clients/<int:client_id>/facts/<str:kind>/<int:fact_id>/", staff.client_fact_edit, name="fact-edit"),
    path(
        "clients/<int:client_id>/facts/<str:kind>/<int:fact_id>/delete/",
        staff.client_fact_delete,
        name="fact-delete",
    ),
    # staff: cases
    path("cases/<int:case_id>/", staff.case_detail, name="case-detail"),
    path("cases/<int:case_id>/transition/", staff.case_transition, name="case-transition"),
    path("cases/<int:case_id>/documents/request/", staff.document_request, name="document-request"),
    path(
        "cases/<int:case_id>/documents/upload/", staff.document_create_upload, name="document-create-upload"
    ),
    path("cases/<int:case_id>/deadlines/new/", staff.deadline_create, name="deadline-create"),
    path("cases/<int:case_id>/notes/new/", staff.note_create, name="note-create"),
    path("documents/<int:document_id>/upload/", staff.document_upload, name="document-upload"),
    path("documents/<int:document_id>/review/", staff.document_review, name="document-review"),
    path("documents/<int:document_id>/download/", staff.document_download, name="document-download"),
    path("deadlines/<int:deadline_id>/done/", staff.deadline_done, name="deadline-done"),
    # firm admin
    path("firm/", admin_pages.firm_admin, name="firm-admin"),
    path("firm/staff/new/", admin_pages.staff_create, name="staff-create"),
    path("firm/staff/<int:membership_id>/", admin_pages.membership_update, name="membership-update"),
    path("firm/api-keys/new/", admin_pages.api_key_create, name="api-key-create"),
    path("firm/api-keys/<int:key_id>/revoke/", admin_pages.api_key_revoke, name="api-key-revoke"),
    path("firm/settings/", admin_pages.firm_settings, name="firm-settings"),
    # client portal
    path("portal/cases/<int:case_id>/", portal.portal_case, name="portal-case"),
    path(
        "portal/documents/<int:document_id>/upload/",
        portal.portal_document_upload,
        name="portal-document-upload",
    ),
    path("portal/score/", portal.portal_score, name="portal-score"),
]
