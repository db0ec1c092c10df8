"""An Express Entry case filed from the ITA to landing in a real browser: the deadlines appear, close and
the status follows the milestones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile

from tests.project.browser.conftest import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-42"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ee_case(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from cases.models import Case, Document, private_storage
    from firm.models import Client, Firm, Membership, User

    private_storage._wrapped = empty
    firm = Firm.objects.create(name="Cedar Immigration", slug="cedar")
    lawyer = User.objects.create_user(email="lawyer@cedar.test", password=PASSWORD, first_name="Lena")
    Membership.objects.create(user=lawyer, firm=firm, role="lawyer")
    client = Client.objects.create(
        firm=firm,
        first_name="Ravi",
        last_name="Kumar",
        date_of_birth=date(1993, 3, 3),
        assigned_lawyer=lawyer,
        status="active",
    )
    case = Case.objects.create(
        firm=firm, client=client, pathway="express_entry", stream="CEC", assigned_lawyer=lawyer
    )
    doc = Document(
        firm=firm,
        case=case,
        kind="passport",
        label="Passport",
        required=True,
        checklist_key="express_entry:cec:passport",
    )
    doc.stored_name = "passport.pdf"
    doc.file.save(doc.stored_name, ContentFile(PDF), save=False)
    doc.status, doc.original_filename, doc.content_type, doc.size = (
        "uploaded",
        "passport.pdf",
        "application/pdf",
        len(PDF),
    )
    doc.save()
    return case, doc


def _record(page, kind: str, on: date, due_on: date | None = None) -> None:
    form = page.locator("#milestone-form")
    if not form.is_visible():
        page.locator("#milestones summary", has_text="Record a milestone").click()
    form.locator("select[name='ms-kind']").select_option(kind)
    form.locator("input[name='ms-date']").fill(on.isoformat())
    if due_on:
        form.locator("input[name='ms-due_on']").fill(due_on.isoformat())
    form.get_by_role("button", name="Record").click()
    page.wait_for_load_state()


def _deadline(page, text: str):
    return page.locator("#deadlines li", has_text=text)


def test_express_entry_from_ita_to_landing(live_server, new_page, ee_case):
    case, doc = ee_case
    today = date.today()
    page = new_page()
    log_in(page, live_server.url, "lawyer@cedar.test", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    ita = today - timedelta(days=20)
    _record(page, "ita_received", ita)
    apr = _deadline(page, "Submit the complete permanent residence application")
    assert apr.count() == 1 and (ita + timedelta(days=60)).isoformat() in apr.inner_text()
    assert "done" not in apr.inner_text().split("(")[0]
    assert page.locator("#case-status").inner_text() == "Collecting documents"

    # A typo in the ITA date: correcting it moves the deadline.
    page.locator("#timeline details summary").first.click()
    corrected = ita - timedelta(days=2)
    page.locator("#timeline input[name='date']").first.fill(corrected.isoformat())
    page.locator("#timeline").get_by_role("button", name="Save").first.click()
    page.wait_for_load_state()
    assert (corrected + timedelta(days=60)).isoformat() in _deadline(page, "Submit the complete").inner_text()

    page.locator("form.transitions").get_by_role("button", name="→ Ready to file").click()
    page.wait_for_load_state()
    _record(page, "application_submitted", today - timedelta(days=1))
    assert "not verified" in page.content()  # the filing guard: the passport is not verified yet
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator(f"#doc-{doc.pk}").get_by_role("button", name="Verify").click()
    page.wait_for_load_state()
    _record(page, "application_submitted", today - timedelta(days=1))
    assert page.locator("#case-status").inner_text() == "Filed"
    assert "done" in _deadline(page, "Submit the complete").inner_text()

    _record(page, "biometrics_instruction", today - timedelta(days=1))
    bio = _deadline(page, "Give biometrics")
    assert (today + timedelta(days=29)).isoformat() in bio.inner_text() and "Mark done" in bio.inner_text()
    shot(page, "case-lifecycle.png")
    _record(page, "biometrics_done", today)
    assert "Reopen" in _deadline(page, "Give biometrics").inner_text()  # closed by the follow-up

    _record(page, "copr_issued", today, due_on=today + timedelta(days=200))
    assert page.locator("#case-status").inner_text() == "Approved"
    assert "Mark done" in _deadline(page, "Land before the COPR expires").inner_text()
    _record(page, "landed", today)
    assert page.locator("#case-status").inner_text() == "Closed"
    assert "Reopen" in _deadline(page, "Land before the COPR expires").inner_text()
    timeline = page.locator("#timeline").inner_text()
    for label in (
        "Invitation to apply received",
        "Application submitted",
        "Biometrics given",
        "Landed as a permanent resident",
    ):
        assert label in timeline
