"""The demo firm in a real browser, in English and French: the screenshots in docs/screenshots/.

Run: REQUIRE_SERVICES=1 bash scripts/test.sh tests/project/browser/test_demo_screenshots.py
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.project.browser.conftest import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = ("lawyer@demo.maplecase.test", "demo-lawyer-pass-2026")
ADMIN = ("admin@demo.maplecase.test", "demo-admin-pass-2026")
CLIENT_PASSWORD = "demo-client-pass-2026"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from cases.models import private_storage

    private_storage._wrapped = empty
    call_command("seed_demo", "--clients", "30", "--quiet")
    from firm.models import Client

    return Client.objects.get(email="ana.silva@demo.maplecase.test")


def _set_language(page, base: str, language: str) -> None:
    page.goto(f"{base}/?language={language}")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_demo_screenshots(live_server, new_page, demo, language):
    suffix = "" if language == "en" else "-fr"
    base = live_server.url
    page = new_page()
    log_in(page, base, *ADMIN)
    _set_language(page, base, language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#feed-status").count() == 1
    assert page.locator("svg.chart line.cutoff").count() >= 1
    shot(page, f"dashboard{suffix}.png")
    page.goto(f"{base}/clients/{demo.pk}/")
    assert page.locator("#next-change").count() == 1
    shot(page, f"client{suffix}.png")
    case = demo.cases.first()
    page.goto(f"{base}/cases/{case.pk}/")
    shot(page, f"case{suffix}.png")
    page.goto(f"{base}/clients/{demo.pk}/edit/")
    # the citizenship list is short and searchable (static/js/app.js), not 250 rows to scroll
    page.fill("input.select-filter", "bra" if language == "en" else "brés")
    visible = page.locator("select[name=citizenships] option:not([hidden])")
    assert 1 <= visible.count() <= 5
    page.goto(f"{base}/firm/")
    shot(page, f"firm-admin{suffix}.png")
    page.goto(f"{base}/account/two-factor/")
    shot(page, f"two-factor{suffix}.png")

    phone = new_page(mobile=True)
    log_in(phone, base, demo.email, CLIENT_PASSWORD)
    _set_language(phone, base, language)
    shot(phone, f"portal{suffix}.png")
    phone.goto(f"{base}/portal/cases/{case.pk}/")
    upload = phone.locator("input[type=file]").first
    # Camera and files: no `capture` attribute (it would open the camera only); photos and PDFs accepted.
    assert upload.get_attribute("capture") is None and "image/*" in upload.get_attribute("accept")
    shot(phone, f"portal-case{suffix}.png")
    phone.goto(f"{base}/portal/score/")
    shot(phone, f"portal-score{suffix}.png")
