"""The questionnaire end to end on a phone-sized window, in French: the client answers and sees the score
move, submits; the lawyer accepts some changes and rejects one with a reason; the score and the
assessments update; the client sees the outcome."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from firm.models import Client, LanguageTest, WorkExperience
from pathways.models import PathwayAssessment
from scoring.models import CRSScore
from tests.fixtures.web import PASSWORD, build_world
from tests.project.browser.conftest import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from cases.models import private_storage
    from pathways.services import client_cases_assess
    from scoring.services.scores import client_recompute

    private_storage._wrapped = empty
    w = build_world()
    Client.objects.filter(pk=w.client_a.pk).update(preferred_language="fr")
    client_recompute(client_id=w.client_a.pk)
    client_cases_assess(client_id=w.client_a.pk)
    return w


def live_total(page) -> str:
    return page.locator("#live-total").inner_text().strip()


def test_client_fills_in_french_lawyer_reviews_client_sees_outcome(live_server, new_page, scene):
    w = scene
    phone = new_page(mobile=True)
    log_in(phone, live_server.url, w.client_a.email, PASSWORD)
    phone.goto(f"{live_server.url}/portal/questionnaire/")
    if phone.locator("html").get_attribute("lang") != "fr":
        phone.locator("button.lang-btn[value=fr]").click()
        phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Mon questionnaire"
    start = int(live_total(phone))
    score_before = CRSScore.objects.get(client=w.client_a, is_current=True).total
    assert start == score_before  # the same engine on the same facts

    # language: better results, the score moves before saving
    phone.goto(f"{live_server.url}/portal/questionnaire/language/language_tests/0/")
    for ability in ("listening", "reading", "writing", "speaking"):
        phone.fill(f"#q-{ability}", "9")
    expect(phone.locator("#live-total")).not_to_have_text(str(start))  # the live score, nothing saved yet
    moved = int(live_total(phone))
    assert moved > start
    phone.click("#save-row")
    phone.wait_for_load_state()

    # work: a job found by its title in the NOC list
    phone.goto(f"{live_server.url}/portal/questionnaire/work/work/new/")
    phone.fill("#q-employer", "Vieille Maison SARL")
    phone.fill("#q-job_title", "Software engineers and designers (21231)")
    phone.dispatch_event("#q-job_title", "input")
    assert phone.input_value("#q-noc_code") == "21231" and phone.input_value("#q-teer") == "1"
    phone.fill("#q-start_date", "2012-01-01")
    phone.fill("#q-end_date", "2013-06-30")
    phone.fill("#q-hours_per_week", "40")
    phone.click("#save-row")
    phone.wait_for_load_state()
    assert "Vieille Maison SARL" in phone.content()

    # funds
    phone.goto(f"{live_server.url}/portal/questionnaire/funds/")
    phone.fill("#q-settlement_funds_cad", "30000")
    phone.click("#save-section")
    phone.wait_for_load_state()
    assert phone.locator("progress.q-progress").get_attribute("value") == "3"
    shot(phone, "questionnaire-phone-fr.png")
    phone.click("#submit-questionnaire")
    phone.wait_for_load_state()
    assert "Envoyé" in phone.content()
    assert float(LanguageTest.objects.get(client=w.client_a).reading) == 7.0  # nothing applied yet

    # the lawyer: accept the language test and the funds, reject the job with a reason
    desk = new_page()
    log_in(desk, live_server.url, "lawyer@alder.test", PASSWORD)
    desk.goto(f"{live_server.url}/clients/{w.client_a.pk}/questionnaire/")
    rows = desk.locator("#changes tbody tr")
    assert rows.count() == 3
    assessments_before = PathwayAssessment.objects.filter(client=w.client_a).count()
    for i in range(rows.count()):
        row = rows.nth(i)
        text = row.inner_text()
        if "Vieille Maison SARL" in text:
            row.locator("input[value=reject]").check()
            row.locator("input[type=text]").fill("Il manque la lettre de référence de cet emploi.")
        else:
            row.locator("input[value=accept]").check()
    desk.click("#save-review")
    desk.wait_for_load_state()
    assert "Review saved." in desk.content()

    assert float(LanguageTest.objects.get(client=w.client_a).reading) == 9.0
    assert not WorkExperience.objects.filter(client=w.client_a, employer="Vieille Maison SARL").exists()
    after = CRSScore.objects.get(client=w.client_a, is_current=True).total
    assert after == moved > score_before  # the funds and the rejected 2012 job add no CRS points
    assert PathwayAssessment.objects.filter(client=w.client_a).count() > assessments_before

    # the client sees what was accepted and why the job was not
    phone.goto(f"{live_server.url}/portal/questionnaire/")
    outcome = phone.locator("#outcome").inner_text()
    assert "Accepté" in outcome and "Non accepté" in outcome
    assert "Il manque la lettre de référence de cet emploi." in outcome
