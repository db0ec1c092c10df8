"""End-to-end scenarios in a real browser (the screenshots come from test_demo_screenshots.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.fixtures.web import PASSWORD, PDF, build_world, flag_for_real, make_draw
from tests.project.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from cases.models import private_storage

    private_storage._wrapped = empty
    w = build_world()
    today = date.today()
    make_draw("349", today - timedelta(days=30), 529, category="general")
    from scoring.services.scores import client_recompute

    client_recompute(client_id=w.client_a2.pk)
    draw, result = flag_for_real(w.client_a, number="351", on=today - timedelta(days=2))
    assert result.new_matches >= 1, result.summary()
    w.draw = draw
    return w


def test_lawyer_sees_score_breakdown_and_flagged_draw(live_server, new_page, scene):
    page = new_page()
    log_in(page, live_server.url, "lawyer@alder.test", PASSWORD)
    assert page.locator("h1").first.inner_text() == "Dashboard"
    flagged = page.locator("#flagged")
    assert "Ana Silva" in flagged.inner_text()
    assert page.locator("svg.chart line.cutoff").count() >= 1

    flagged.get_by_role("link", name="Ana Silva").click()
    page.wait_for_load_state()
    score = page.locator("#score")
    assert "Core / human capital" in score.inner_text()
    assert "#351" in page.locator("#client-draws").inner_text()
    assert page.locator("svg.chart path.draw").count() >= 1


def test_client_uploads_from_checklist_and_lawyer_sees_it(live_server, new_page, scene, tmp_path):
    phone = new_page(mobile=True)
    log_in(phone, live_server.url, scene.client_a.email, PASSWORD)
    assert "Please upload the documents in your checklist." in phone.content()
    phone.click(f"a[href='/portal/cases/{scene.case_a.pk}/']")
    phone.wait_for_load_state()
    item = phone.locator(f"#doc-{scene.doc_a.pk}")
    # camera and file picker both offered: no `capture` (camera only on phones), photos and PDFs accepted
    assert item.locator("input[type=file][capture]").count() == 0
    assert "image/*" in item.locator("input[type=file]").get_attribute("accept")
    scan = tmp_path / "passport-scan.pdf"
    scan.write_bytes(PDF)
    item.locator("input[type=file]").set_input_files(str(scan))
    item.get_by_role("button", name="Send").click()
    phone.wait_for_load_state()
    assert "Thank you, your document was received." in phone.content()
    assert "Uploaded" in phone.locator(f"#doc-{scene.doc_a.pk}").inner_text()

    desk = new_page()
    log_in(desk, live_server.url, "lawyer@alder.test", PASSWORD)
    desk.goto(f"{live_server.url}/cases/{scene.case_a.pk}/")
    row = desk.locator(f"#doc-{scene.doc_a.pk}")
    assert "passport-scan.pdf" in row.inner_text() and "Uploaded" in row.inner_text()
    row.get_by_role("button", name="Verify").click()
    desk.wait_for_load_state()
    assert "Verified" in desk.locator(f"#doc-{scene.doc_a.pk}").inner_text()


def test_client_cannot_open_another_clients_case(live_server, new_page, scene):
    page = new_page(mobile=True)
    log_in(page, live_server.url, scene.client_a2.email, PASSWORD)
    response = page.goto(f"{live_server.url}/portal/cases/{scene.case_a.pk}/")
    assert response.status == 404
    assert "Ana" not in page.content()
    response = page.goto(f"{live_server.url}/clients/{scene.client_a.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/portal/cases/{scene.case_a2.pk}/")
    assert response.status == 200


def test_portal_in_french_and_admin_pages(live_server, new_page, scene):
    scene.client_a.preferred_language = "fr"
    scene.client_a.save()
    phone = new_page(mobile=True)
    log_in(phone, live_server.url, scene.client_a.email, PASSWORD)
    assert "Mes dossiers" in phone.content()
    phone.goto(f"{live_server.url}/portal/score/")
    assert "Mon score SCG" in phone.content()

    admin = new_page()
    log_in(admin, live_server.url, "admin@alder.test", PASSWORD)
    admin.goto(f"{live_server.url}/firm/")
    admin.click("text=Create an API key")
    admin.fill("#id_key-name", "Website intake form")
    admin.check("input[name=key-scopes][value=intake]")
    admin.get_by_role("button", name="Create", exact=True).click()
    admin.wait_for_load_state()
    assert admin.locator("#new-key code.secret").inner_text().startswith("mck_")
    admin.goto(f"{live_server.url}/account/two-factor/")
    assert admin.locator(".qr svg").count() == 1
