"""The portal and staff pages of the questionnaire (server-rendered; the browser test drives them too)."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from questionnaire.sections import SECTIONS
from tests.fixtures.web import login


@pytest.fixture
def ana(world):
    web = WebClient()
    login(web, world.client_a.portal_user)
    return web


def test_every_section_and_row_page_renders(world, ana):
    assert ana.get("/portal/questionnaire/").status_code == 200
    for section in SECTIONS:
        page = ana.get(f"/portal/questionnaire/{section.key}/")
        assert page.status_code == 200, section.key
        for table in section.tables:
            assert ana.get(f"/portal/questionnaire/{section.key}/{table.name}/new/").status_code == 200
    assert ana.get("/portal/questionnaire/nope/").status_code == 404
    assert ana.get("/portal/questionnaire/work/children/new/").status_code == 404


def test_row_saved_from_the_page_and_preview_moves_the_score(world, ana):
    home = ana.get("/portal/questionnaire/")
    version = home.context["q"]["version"]
    before = home.context["score"]["total"]
    form = {
        "version": version,
        "_table": "language_tests",
        "_index": "0",
        "person": "principal",
        "test": "ielts",
        "test_date": str(world.client_a.languagetests.first().test_date),
        "role": "first",
        "listening": "9",
        "reading": "9",
        "writing": "9",
        "speaking": "9",
    }
    preview = ana.post("/portal/questionnaire/language/preview/", form).json()
    assert preview["total"] > before and preview["rows"]
    bad = ana.post("/portal/questionnaire/language/preview/", {**form, "listening": "15"}).json()
    assert "language.language_tests[0].listening" in bad["errors"]
    refused = ana.post("/portal/questionnaire/language/language_tests/0/", {**form, "listening": "15"})
    assert refused.status_code == 200 and "listening" in refused.context["errors"]
    saved = ana.post("/portal/questionnaire/language/language_tests/0/", form)
    assert saved.status_code == 302
    assert ana.get("/portal/questionnaire/").context["score"]["total"] == preview["total"]


def test_staff_page_reviews_from_the_form(world):
    web = WebClient()
    login(web, world.client_a.portal_user)
    q = web.get("/portal/questionnaire/").context["q"]
    web.post("/portal/questionnaire/funds/", {"version": q["version"], "settlement_funds_cad": "15000"})
    web.post("/portal/questionnaire/submit/", {})
    desk = WebClient()
    login(desk, world.lawyer_a)
    page = desk.get(f"/clients/{world.client_a.pk}/questionnaire/")
    assert page.status_code == 200
    pending = page.context["pending"]
    assert [c["field"] for c in pending] == ["settlement_funds_cad"]
    r = desk.post(
        f"/clients/{world.client_a.pk}/questionnaire/review/",
        {f"decision-{pending[0]['id']}": "reject", f"reason-{pending[0]['id']}": "Show a bank letter first."},
    )
    assert r.status_code == 302
    outcome = web.get("/portal/questionnaire/").context["outcome"]
    assert outcome[0]["reason"] == "Show a bank letter first." and outcome[0]["status"] == "rejected"
    other = WebClient()
    login(other, world.lawyer_b)
    assert other.get(f"/clients/{world.client_a.pk}/questionnaire/").status_code == 404
