"""Pages of the core app at the site root: home (dashboard or portal home), accounts, clients, firm
administration. Included by config.urls; cases/web/urls.py and scoring/web/urls.py add theirs."""

from django.urls import include, path

from firm.web import accounts, admin_pages, clients, home, people

urlpatterns = [
    path("", home.home, name="home"),
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
    path("clients/", clients.client_list, name="client-list"),
    path("clients/new/", people.client_create, name="client-create"),
    # the people of a file: family, residences, status documents
    path("clients/<int:client_id>/family/new/", people.family_create, name="family-create"),
    path("family/<int:member_id>/delete/", people.family_delete, name="family-delete"),
    path("clients/<int:client_id>/residences/new/", people.residence_create, name="residence-create"),
    path("residences/<int:period_id>/delete/", people.residence_delete, name="residence-delete"),
    path(
        "clients/<int:client_id>/status-documents/new/",
        people.status_document_create,
        name="status-document-create",
    ),
    path(
        "status-documents/<int:document_id>/delete/",
        people.status_document_delete,
        name="status-document-delete",
    ),
    path("clients/<int:client_id>/", clients.client_detail, name="client-detail"),
    path("clients/<int:client_id>/edit/", clients.client_edit, name="client-edit"),
    path("clients/<int:client_id>/invite/", clients.client_invite, name="client-invite"),
    path("clients/<int:client_id>/facts/<str:kind>/new/", clients.client_fact_edit, name="fact-create"),
    path(
        "clients/<int:client_id>/facts/<str:kind>/<int:fact_id>/", clients.client_fact_edit, name="fact-edit"
    ),
    path(
        "clients/<int:client_id>/facts/<str:kind>/<int:fact_id>/delete/",
        clients.client_fact_delete,
        name="fact-delete",
    ),
    # firm admin
    path("firm/", admin_pages.firm_admin, name="firm-admin"),
    path("firm/staff/new/", admin_pages.staff_create, name="staff-create"),
    path("firm/staff/<int:membership_id>/", admin_pages.membership_update, name="membership-update"),
    path(
        "firm/staff/<int:membership_id>/reset-two-factor/",
        admin_pages.membership_two_factor_reset,
        name="membership-two-factor-reset",
    ),
    path("firm/api-keys/new/", admin_pages.api_key_create, name="api-key-create"),
    path("firm/api-keys/<int:key_id>/revoke/", admin_pages.api_key_revoke, name="api-key-revoke"),
    path("firm/settings/", admin_pages.firm_settings, name="firm-settings"),
]
