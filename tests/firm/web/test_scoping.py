"""Every page checks the same scoping as the API: another firm's or client's object is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fixtures.web import login

pytestmark = pytest.mark.django_db


def staff_urls(w):
    a = w
    return [
        reverse("client-detail", args=[a.client_a.pk]),
        reverse("client-edit", args=[a.client_a.pk]),
        reverse("fact-create", args=[a.client_a.pk, "education"]),
        reverse("fact-edit", args=[a.client_a.pk, "language_test", a.client_a.languagetests.first().pk]),
        reverse("case-detail", args=[a.case_a.pk]),
        reverse("document-download", args=[a.doc_a_file.pk]),
    ]


def staff_posts(w):
    return [
        (reverse("case-transition", args=[w.case_a.pk]), {"to_status": "ready_to_file"}),
        (reverse("document-request", args=[w.case_a.pk]), {"req-kind": "passport"}),
        (reverse("document-review", args=[w.doc_a_file.pk]), {"decision": "verify"}),
        (reverse("deadline-done", args=[w.deadline_a.pk]), {"done": "1"}),
        (reverse("note-create", args=[w.case_a.pk]), {"note-text": "hi"}),
        (reverse("client-invite", args=[w.client_a.pk]), {}),
        (reverse("case-create", args=[w.client_a.pk]), {"pathway": "gts"}),
        (
            reverse(
                "fact-delete", args=[w.client_a.pk, "language_test", w.client_a.languagetests.first().pk]
            ),
            {},
        ),
    ]


def test_other_firm_staff_get_404_on_every_page(client, world):
    login(client, world.lawyer_b)
    for url in staff_urls(world):
        assert client.get(url).status_code == 404, url


def test_other_firm_staff_get_404_on_every_action_and_nothing_changes(client, world):
    login(client, world.lawyer_b)
    for url, data in staff_posts(world):
        assert client.post(url, data).status_code == 404, url
    world.case_a.refresh_from_db()
    world.doc_a_file.refresh_from_db()
    assert world.case_a.status == "documents"
    assert world.doc_a_file.status == "uploaded"
    assert world.client_a.languagetests.count() == 1
    assert not world.case_a.notes.filter(text="hi").exists()


def test_own_firm_staff_reach_the_same_pages(client, world):
    login(client, world.paralegal_a)
    for url in staff_urls(world):
        assert client.get(url).status_code == 200, url


def test_client_cannot_open_another_clients_case(client, world):
    login(client, world.client_a2.portal_user)
    assert client.get(reverse("portal-case", args=[world.case_a.pk])).status_code == 404
    assert client.get(reverse("portal-case", args=[world.case_b.pk])).status_code == 404
    assert client.get(reverse("portal-case", args=[world.case_a2.pk])).status_code == 200
    assert client.get(reverse("document-download", args=[world.doc_a_file.pk])).status_code == 404
    r = client.post(reverse("portal-document-upload", args=[world.doc_a.pk]), {})
    assert r.status_code == 404


def test_clients_cannot_reach_staff_pages(client, world):
    login(client, world.client_a.portal_user)
    for url in [*staff_urls(world), reverse("client-list"), reverse("firm-admin")]:
        if "download" in url:
            continue  # a client may download their own document (tested in the portal tests)
        assert client.get(url).status_code in (403, 404), url
    for url, data in staff_posts(world):
        assert client.post(url, data).status_code in (403, 404), url


def test_staff_cannot_reach_portal_pages(client, world):
    login(client, world.lawyer_a)
    assert client.get(reverse("portal-case", args=[world.case_a.pk])).status_code == 404
    assert client.get(reverse("portal-score")).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in [reverse("home"), *staff_urls(world), reverse("portal-case", args=[world.case_a.pk])]:
        r = client.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith(reverse("login")), url


def test_deactivated_staff_is_logged_out(client, world):
    login(client, world.lawyer_a)
    world.lawyer_a.membership.is_active = False
    world.lawyer_a.membership.save()
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_paralegal_cannot_see_firm_admin(client, world):
    login(client, world.paralegal_a)
    assert client.get(reverse("firm-admin")).status_code == 403
    assert (
        client.post(reverse("staff-create"), {"staff-email": "x@y.test", "staff-role": "admin"}).status_code
        == 403
    )
    assert (
        client.post(reverse("api-key-create"), {"key-name": "x", "key-scopes": ["read"]}).status_code == 403
    )
    assert client.post(reverse("firm-settings"), {"require_two_factor": "on"}).status_code == 403
    r = client.get(reverse("home"))
    assert reverse("firm-admin") not in r.content.decode()


def test_lawyer_cannot_see_firm_admin(client, world):
    login(client, world.lawyer_a)
    assert client.get(reverse("firm-admin")).status_code == 403


def test_admin_of_other_firm_cannot_touch_memberships_or_keys(client, world):
    from firm.models import ApiKey, Membership

    key = ApiKey.objects.create(
        firm=world.firm_b, name="b", public_id="abc", key_hash="0" * 64, scopes=["read"]
    )
    login(client, world.admin_a)
    m_b = Membership.objects.get(user=world.lawyer_b)
    assert (
        client.post(reverse("membership-update", args=[m_b.pk]), {f"m{m_b.pk}-role": "admin"}).status_code
        == 404
    )
    assert client.post(reverse("api-key-revoke", args=[key.pk])).status_code == 404
    m_b.refresh_from_db()
    key.refresh_from_db()
    assert m_b.role == "lawyer" and key.revoked_at is None
