"""Every email has a purpose, an HTML and a text part, the firm's name and a working link, in both
languages; the staff invitation and the client's portal invitation are real invitations."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.fixtures.web import login

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"'<>)]+")


def _parts(message) -> tuple[str, str]:
    html = next(content for content, mime in message.alternatives if mime == "text/html")
    return message.body, html


def _follow(client, url: str):
    """Open an emailed link on the test server: the path must answer (a redirect to the form, then 200)."""
    path = re.sub(r"^https?://[^/]+", "", url)
    first = client.get(path)
    assert first.status_code in (200, 302), (url, first.status_code)
    page = client.get(first["Location"]) if first.status_code == 302 else first
    assert page.status_code == 200, url
    return page


def test_a_new_staff_member_gets_an_invitation_not_a_reset(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, world.admin_a)
    with django_capture_on_commit_callbacks(execute=True):  # the invitation is sent after commit
        r = client.post(
            reverse("staff-create"),
            {"staff-email": "new@alder.test", "staff-first_name": "Noor", "staff-role": "paralegal"},
        )
    assert r.status_code == 302
    (mail,) = mailoutbox
    text, html = _parts(mail)
    assert "reset" not in mail.subject.lower() and "Alder & Birch LLP" in mail.subject
    assert "Someone asked" not in text and "if it was not you" not in text.lower()
    assert "added you to Alder & Birch LLP as Paralegal" in text and "Alder &amp; Birch LLP" in html
    link = LINK.search(text)[0]
    assert link in html
    client.logout()
    assert "password" in _follow(client, link).content.decode().lower()


def test_give_portal_access_sends_a_working_invitation(client, world, mailoutbox):
    from firm.models import Client

    prospect = Client.objects.create(
        firm=world.firm_a,
        first_name="Lina",
        last_name="Fischer",
        email="lina@example.test",
        preferred_language="fr",
    )
    login(client, world.lawyer_a)
    r = client.post(reverse("client-invite", args=[prospect.pk]))
    assert r.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["lina@example.test"] and "portail client" in mail.subject  # in the client's language
    text, html = _parts(mail)
    assert "Alder & Birch LLP" in text and "Alder &amp; Birch LLP" in html
    link = LINK.search(text)[0]
    client.logout()
    page = _follow(client, link)
    assert 'name="new_password1"' in page.content.decode()


def _status_mail(world, *, portal: bool):
    from cases import services as case_services
    from firm.scoping import actor_for_user
    from notifications.models import Notification
    from notifications.services import render_notification

    if not portal:
        world.client_a.portal_user = None
        world.client_a.save()
    world.case_a.status = "ready_to_file"
    world.case_a.save()
    case_services.case_transition(actor=actor_for_user(world.lawyer_a), case=world.case_a, to_status="filed")
    notification = Notification.objects.get(kind=Notification.Kind.CASE_STATUS, client=world.client_a)
    return render_notification(notification)


def test_filed_email_links_to_the_portal_only_with_access(world):
    _subject, text, html = _status_mail(world, portal=True)
    assert "client portal" in text and "http://" in text and 'href="http' in html
    assert "Alder & Birch LLP" in text


def test_filed_email_without_portal_access_gives_the_lawyer_instead(world):
    _subject, text, html = _status_mail(world, portal=False)
    assert "portal" not in text.lower() and "portal" not in html.lower()
    assert "lawyer@alder.test" in text and 'href="mailto:lawyer@alder.test"' in html


def _contexts(world) -> dict[str, dict]:
    from firm.emails import notification_links

    firm, user = world.firm_a, world.client_a.portal_user
    draw = SimpleNamespace(
        draw_number="301",
        draw_date=date.today(),
        name="Canadian Experience Class",
        min_crs=500,
        invitations=3000,
        tie_break_at=None,
    )
    match = SimpleNamespace(
        client=world.client_a,
        score=512,
        margin=12,
        in_pool=True,
        by_tie_break=False,
        eligibility_basis="cec",
        lawyer_id=1,
    )
    links = notification_links(client=world.client_a)
    return {
        "staff_invitation": {
            "user": world.lawyer_a,
            "firm": firm,
            "role": "Lawyer",
            "invited_by": world.admin_a,
            "link": "http://testserver/password-reset/MQ/x/",
            "login_url": "http://testserver/login/",
            "days": 3,
        },
        "portal_invitation": {
            "user": user,
            "firm": firm,
            "link": "http://testserver/password-reset/MQ/x/",
            "login_url": "http://testserver/login/",
            "magic_url": "http://testserver/login/link/",
            "days": 3,
        },
        "password_reset": {
            "user": user,
            "firm": firm,
            "protocol": "http",
            "domain": "testserver",
            "uid": "MQ",
            "token": "x",
        },
        "magic_link": {
            "user": user,
            "firm": firm,
            "link": "http://testserver/login/link/abc/",
            "minutes": 15,
        },
        "staff_invite_existing": {
            "user": world.lawyer_a,
            "firm": firm,
            "firm_name": firm.name,  # the firm that tried to add them
            "login_url": "http://testserver/login/",
        },
        "case_status": {
            **links,
            "firm": firm,
            "client": world.client_a,
            "pathway": "Express Entry",
            "status_label": "Filed",
            "next_step": "",
        },
        "client_reminder": {
            **links,
            "firm": firm,
            "client": world.client_a,
            "documents": [{"label": "Passport", "status": "requested"}],
            "deadlines": [{"label": "Medical exam", "due_on": str(date.today() + timedelta(days=3))}],
        },
        "client_draw_alert": {**links, "firm": firm, "client": world.client_a, "draw": draw, "match": match},
        "status_expiry": {
            "firm": firm,
            "client": world.client_a,
            "person": "Ana Silva",
            "kind_label": "Work permit",
            "date": date.today() + timedelta(days=60),
            "days": 60,
            "url": f"http://testserver/clients/{world.client_a.pk}/",
            "extension_applied_on": None,
        },
        "questionnaire_request": {
            "firm": firm,
            "client": world.client_a,
            "name": world.client_a.first_name,
            "questions": [{"text": "Which employer was this job with?"}],
            "link": "http://testserver/login/link/abc/?next=/portal/questionnaire/",
        },
        "staff_digest": {
            "firm": firm,
            "url": "http://testserver/",
            "tasks": [{"title": "Call Ana", "due_on": date.today(), "client": "Ana Silva", "overdue": False}],
            "deadlines": [
                {
                    "client": "Ana Silva",
                    "due_on": date.today(),
                    "url": "http://testserver/cases/1/",
                    "overdue": True,
                }
            ],
        },
        "webhook_disabled": {
            "firm": firm,
            "link": "http://testserver/firm/",
            "endpoint": SimpleNamespace(url="https://hooks.example/x", disabled_reason="HTTP 500 x 10"),
        },
        "draw_digest": {
            **links,
            "firm": firm,
            "recipient": world.lawyer_a,
            "draw": draw,
            "in_pool": [match],
            "prospects": [],
            "count": 1,
        },
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_email_template_in_both_languages(world, language):
    from pathlib import Path

    from django.conf import settings

    from firm.emails import render_email

    contexts = _contexts(world)
    folder = Path(settings.BASE_DIR) / "templates" / "email"
    names = {p.name.removesuffix("_subject.txt") for p in folder.glob("*_subject.txt")}
    assert names == set(contexts), "a new email template needs a context here"
    for name, context in contexts.items():
        subject, text, html = render_email(name, context, language)
        assert subject and "\n" not in subject, name
        assert "Alder & Birch LLP" in text and "Alder &amp; Birch LLP" in html, name
        assert LINK.search(text) or "mailto:" in html, name
        assert 'href="' in html and f'lang="{language}"' in html, name
        if language == "fr":
            english, _t, _h = render_email(name, context, "en")
            assert subject != english, f"{name}: the subject is not translated"
