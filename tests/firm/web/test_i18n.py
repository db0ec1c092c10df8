"""English and French: ?language=fr, the language cookie, the client's preferred language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.fixtures.web import login

pytestmark = pytest.mark.django_db

FR_NEXT_STEP = "Veuillez téléverser les documents de votre liste."
EN_NEXT_STEP = "Please upload the documents in your checklist."


def test_query_parameter_switches_to_french_and_is_remembered(client, world):
    login(client, world.client_a.portal_user)
    r = client.get(reverse("home") + "?language=fr")
    html = r.content.decode()
    assert 'lang="fr"' in html and "Mes dossiers" in html and FR_NEXT_STEP in html
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    html = client.get(reverse("portal-case", args=[world.case_a.pk])).content.decode()
    assert "Ma liste de documents" in html and "Passeport" in html and "Collecte des documents" in html


def test_language_cookie(client, world):
    login(client, world.client_a.portal_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert FR_NEXT_STEP in client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    assert EN_NEXT_STEP in client.get(reverse("home")).content.decode()  # an explicit choice wins


def test_clients_preferred_language_applies(client, world):
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    login(client, world.client_a.portal_user)
    html = client.get(reverse("home")).content.decode()
    assert FR_NEXT_STEP in html and "Bonjour, Ana" in html


def test_language_switch_form(client, world):
    login(client, world.client_a.portal_user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("set_language") in html and 'value="fr"' in html
    r = client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    assert r.status_code == 302
    assert FR_NEXT_STEP in client.get(reverse("home")).content.decode()


def test_login_page_in_french(client, world):
    html = client.get(reverse("login") + "?language=fr").content.decode()
    assert "Mot de passe oublié?" in html and "Connexion" in html


def test_french_score_breakdown(client, world):
    from datetime import date

    from tests.fixtures.web import make_score

    make_score(world.client_a, 480, date.today())
    login(client, world.client_a.portal_user)
    html = client.get(reverse("portal-score") + "?language=fr").content.decode()
    assert "Âge" in html and "Première langue officielle" in html
    assert "Ce qui l&#x27;augmenterait" in html or "Ce qui l'augmenterait" in html


def test_case_status_email_in_french(client, world, mailoutbox, django_capture_on_commit_callbacks):
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    login(client, world.lawyer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("case-transition", args=[world.case_a.pk]), {"to_status": "ready_to_file"})
    mails = [m for m in mailoutbox if m.to == [world.client_a.email]]
    assert mails and "Bonjour" in mails[0].body


def _status_email(world, *, to_status: str):
    from cases import services as case_services
    from firm.scoping import actor_for_user
    from notifications.models import Notification
    from notifications.services import render_notification

    case_services.case_transition(
        actor=actor_for_user(world.lawyer_a), case=world.case_a, to_status=to_status
    )
    notification = Notification.objects.get(kind=Notification.Kind.CASE_STATUS, client=world.client_a)
    return notification, render_notification(notification)


def test_case_status_email_in_the_clients_french(world):
    """A status change queues a notification (cases.notifications.case_status_changed) that renders in the
    client's language: status, pathway and next step translated, plain text not HTML-escaped."""
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    notification, (subject, text, html) = _status_email(world, to_status="ready_to_file")
    assert notification.language == "fr"
    assert notification.payload["next_step"] == "Your application is being finalised for filing."  # source
    assert subject == "Votre dossier est maintenant : Prêt à déposer"
    assert "Bonjour Ana," in text
    assert "Votre dossier Entrée express est passé à l'étape « Prêt à déposer »." in text
    assert "Prochaine étape : Votre demande est en cours de finalisation avant le dépôt." in text
    assert "Connectez-vous à votre portail client" in text
    assert "Alder & Birch LLP" in text and "&amp;" not in text and "&#x27;" not in text
    assert "Prêt à déposer" in html and "Votre demande est en cours de finalisation" in html
    assert "Alder &amp; Birch LLP" in html  # the HTML part stays escaped
    for english in ("Your file", "What happens next", "Ready to file", "Express Entry"):
        assert english not in text and english not in subject


def test_case_status_email_in_english_even_when_the_lawyer_works_in_french(world):
    from django.utils import translation

    with translation.override("fr"):  # the lawyer's page language must not leak into the client's email
        _notification, (subject, text, _html) = _status_email(world, to_status="ready_to_file")
    assert subject == "Your file is now: Ready to file"
    assert "What happens next: Your application is being finalised for filing." in text
