"""Family, residences and checklists by pathway and family; sensitive identifiers; status expiry with
reminders; clients from the web with duplicate detection."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Case, Document
from cases.reminders import status_expiry_reminders_queue
from firm.models import AuditEvent, Client, FamilyMember, LanguageTest, StatusDocument, WorkExperience
from firm.people_services import family_size
from notifications.models import Notification
from pathways.checklists import FilePerson, Stay, police_countries
from pathways.services import case_assess

pytestmark = pytest.mark.django_db


def _checklist(case: Case) -> dict[str, Document]:
    return {d.checklist_key: d for d in Document.objects.filter(case=case)}


def test_police_certificates_per_country_of_six_months_in_a_row_since_18():
    person = FilePerson(None, "P", "principal", date(2000, 6, 1))
    stays = [
        Stay(None, "IN", date(2010, 1, 1), date(2019, 1, 1)),  # only 7 months after turning 18
        Stay(None, "AE", date(2019, 1, 1), date(2019, 6, 30)),  # under 6 months
        Stay(None, "GB", date(2019, 7, 1), date(2020, 1, 1)),  # exactly 6 months
        Stay(None, "CA", date(2020, 1, 1), None),  # Canada never needs one
        Stay(1, "FR", date(2015, 1, 1), date(2020, 1, 1)),  # someone else's
    ]
    assert police_countries(person, stays, date(2026, 12, 1)) == ["GB", "IN"]
    minor = FilePerson(2, "Kid", "child", date(2012, 1, 1))
    assert police_countries(minor, [Stay(2, "US", date(2012, 1, 1), None)], date(2026, 12, 1)) == []


def test_express_entry_checklist_grows_with_spouse_child_jobs_and_countries(world, api):
    WorkExperience.objects.create(
        client=world.client,
        noc_code="21231",
        teer=1,
        employer="Infosys",
        start_date=date(2016, 1, 1),
        end_date=date(2020, 1, 1),
    )
    WorkExperience.objects.create(
        client=world.client,
        noc_code="21231",
        teer=1,
        employer="Shopify",
        start_date=date(2020, 2, 1),
        in_canada=True,
        province="ON",
    )
    # A Canadian Experience Class candidate: recent IELTS results and the case names its stream.
    LanguageTest.objects.create(
        client=world.client,
        test="ielts",
        test_date=timezone.localdate() - timedelta(days=120),
        listening=8,
        reading=7,
        writing=7,
        speaking=7,
    )
    Case.objects.filter(pk=world.case.pk).update(stream="CEC")
    rows = case_assess(case_id=world.case.pk)
    assert any(r.stream == "cec" and r.outcome != "not_eligible" for r in rows), [
        (r.stream, r.outcome) for r in rows
    ]
    before = _checklist(world.case)
    assert any(k.endswith(":passport") for k in before)
    assert not any("marriage_certificate" in k for k in before)
    references = [d.label for d in before.values() if d.kind == "reference_letter"]
    assert (
        sorted(references) == sorted(x for x in references if "Infosys" in x or "Shopify" in x)
        and len(references) == 2
    )
    assert all(d.required for d in before.values())

    lawyer = api(world.lawyer)
    spouse = lawyer.post(
        "/api/v1/family-members/",
        {
            "client": world.client.pk,
            "relationship": "spouse",
            "first_name": "Arjun",
            "last_name": "Sharma",
            "date_of_birth": "1990-02-01",
        },
    )
    assert spouse.status_code == 201, spouse.content
    child = lawyer.post(
        "/api/v1/family-members/",
        {
            "client": world.client.pk,
            "relationship": "child",
            "first_name": "Mira",
            "last_name": "Sharma",
            "date_of_birth": "2019-05-05",
        },
    )
    assert child.status_code == 201
    r = lawyer.post(
        "/api/v1/residences/",
        {"client": world.client.pk, "country": "IN", "start_date": "1992-04-10", "end_date": "2020-01-01"},
    )
    assert r.status_code == 201, r.content
    lawyer.post(
        "/api/v1/residences/",
        {
            "client": world.client.pk,
            "member": spouse.json()["id"],
            "country": "AE",
            "start_date": "2015-01-01",
            "end_date": "2018-01-01",
        },
    )
    case_assess(case_id=world.case.pk)
    after = _checklist(world.case)
    labels = " | ".join(d.label for d in after.values())
    sid, cid = spouse.json()["id"], child.json()["id"]
    assert any("marriage_certificate" in k and k.endswith(f"m{sid}") for k in after), labels
    assert any("birth_certificate" in k and k.endswith(f"m{cid}") for k in after)
    assert any(k.endswith(f"passport:m{sid}") for k in after) and any(
        k.endswith(f"passport:m{cid}") for k in after
    )
    police = {k for k in after if "police_certificates" in k}
    assert police == {k for k in police if k.endswith(":IN") or k.endswith(f"m{sid}:AE")} and len(police) == 2
    assert Document.objects.get(case=world.case, checklist_key__endswith=f"m{sid}:AE").person_id == sid
    assert family_size(client=world.client) == 3
    assert api(world.other_lawyer).get(f"/api/v1/family-members/{sid}/").status_code == 404


def test_family_api_refuses_impossible_values_naming_the_field(world, api):
    lawyer = api(world.lawyer)
    r = lawyer.post(
        "/api/v1/family-members/",
        {
            "client": world.client.pk,
            "relationship": "child",
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1980-01-01",
        },
    )
    assert r.status_code == 400 and "date_of_birth" in str(r.json())
    lawyer.post(
        "/api/v1/family-members/",
        {"client": world.client.pk, "relationship": "spouse", "first_name": "A", "last_name": "B"},
    )
    r = lawyer.post(
        "/api/v1/family-members/",
        {"client": world.client.pk, "relationship": "common_law", "first_name": "C", "last_name": "D"},
    )
    assert r.status_code == 400 and "relationship" in str(r.json())
    r = lawyer.post(
        "/api/v1/residences/",
        {"client": world.client.pk, "country": "IN", "start_date": "2020-01-01", "end_date": "2019-01-01"},
    )
    assert r.status_code == 400 and "end_date" in str(r.json())
    r = lawyer.post(
        "/api/v1/family-members/",
        {"client": world.other_case.client_id, "relationship": "child", "first_name": "X", "last_name": "Y"},
    )
    assert r.status_code == 400 and "client" in str(r.json())
    assert FamilyMember.objects.count() == 1


def test_identifiers_are_validated_masked_in_lists_and_never_in_audit_or_logs(world, api, caplog):
    caplog.set_level(logging.DEBUG)
    lawyer = api(world.lawyer)
    bad = lawyer.patch(f"/api/v1/clients/{world.client.pk}/", {"uci": "12-345"}, format="json")
    assert bad.status_code == 400 and "uci" in str(bad.json())
    ok = lawyer.patch(
        f"/api/v1/clients/{world.client.pk}/",
        {"uci": "12-3456-7890", "ee_profile_number": "E001234567"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["uci"] == "12-3456-7890"
    r = lawyer.patch(
        f"/api/v1/cases/{world.case.pk}/",
        {"ircc_application_number": "E099977028", "work_permit_application_number": "w993830598"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["work_permit_application_number"] == "W993830598"
    bad = lawyer.patch(f"/api/v1/cases/{world.case.pk}/", {"ircc_application_number": "12345"}, format="json")
    assert bad.status_code == 400 and "ircc_application_number" in str(bad.json())
    listed = next(c for c in lawyer.get("/api/v1/cases/").json()["results"] if c["id"] == world.case.pk)
    assert listed["ircc_application_number"] == "••••••7028"
    client_row = next(
        c for c in lawyer.get("/api/v1/clients/").json()["results"] if c["id"] == world.client.pk
    )
    assert client_row["uci"].endswith("7890") and "3456" not in client_row["uci"]
    assert lawyer.get(f"/api/v1/cases/{world.case.pk}/").json()["ircc_application_number"] == "E099977028"
    for secret in ("3456-7890", "E099977028", "W993830598", "E001234567"):
        assert not AuditEvent.objects.filter(changes__icontains=secret).exists()
        assert secret not in caplog.text
    assert "7028" in str(AuditEvent.objects.filter(action="update", object_type="cases.case").last().changes)


def test_status_documents_reminders_at_lead_times_and_maintained_status(
    world, api, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    lawyer = api(world.lawyer)
    r = lawyer.post(
        "/api/v1/status-documents/",
        {
            "client": world.client.pk,
            "kind": "work_permit",
            "number": "U1234567",
            "expires_on": (today + timedelta(days=85)).isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "valid"
    world.firm.status_reminder_days = [90, 30]
    world.firm.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert status_expiry_reminders_queue(today=today) == 1
    assert status_expiry_reminders_queue(today=today) == 0  # once per lead time
    assert status_expiry_reminders_queue(today=today + timedelta(days=10)) == 0  # still the 90-day bracket
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            status_expiry_reminders_queue(today=today + timedelta(days=60)) == 1
        )  # 25 days left: the 30-day one
    rows = Notification.objects.filter(kind="status_expiry").order_by("pk")
    assert [n.recipient_email for n in rows] == [world.lawyer.email] * 2
    assert "Work permit" in mail.outbox[0].subject and f"/clients/{world.client.pk}/" in mail.outbox[0].body
    expired = StatusDocument.objects.create(
        firm=world.firm,
        client=world.client,
        kind="study_permit",
        expires_on=today - timedelta(days=5),
        extension_applied_on=today - timedelta(days=20),
    )
    assert expired.state_on(today) == "maintained"
    late = StatusDocument.objects.create(
        firm=world.firm,
        client=world.client,
        kind="visitor_record",
        expires_on=today - timedelta(days=5),
        extension_applied_on=today - timedelta(days=1),
    )
    assert late.state_on(today) == "expired"
    bad = lawyer.post(
        "/api/v1/status-documents/",
        {
            "client": world.client.pk,
            "kind": "passport",
            "issued_on": "2026-01-01",
            "expires_on": "2020-01-01",
        },
    )
    assert bad.status_code == 400 and "expires_on" in str(bad.json())


def test_client_page_family_residence_and_status_documents(world, client):
    client.force_login(world.paralegal)
    r = client.post(
        f"/clients/{world.client.pk}/family/new/",
        {
            "fam-relationship": "spouse",
            "fam-first_name": "Arjun",
            "fam-last_name": "Sharma",
            "fam-accompanying": "on",
        },
    )
    assert r.status_code == 302
    member = FamilyMember.objects.get()
    client.post(
        f"/clients/{world.client.pk}/residences/new/",
        {
            "res-member": member.pk,
            "res-country": "AE",
            "res-start_date": "2015-01-01",
            "res-end_date": "2018-01-01",
        },
    )
    client.post(
        f"/clients/{world.client.pk}/status-documents/new/",
        {"sd-kind": "passport", "sd-expires_on": "2030-01-01", "sd-number": "z1234567"},
    )
    html = client.get(f"/clients/{world.client.pk}/").content.decode()
    assert "Arjun Sharma" in html and "United Arab Emirates" in html and "2030-01-01" in html
    assert 'id="client-family-size">2' in html
    assert StatusDocument.objects.get().number == "Z1234567"


def test_clients_from_the_web_with_duplicate_detection(world, client):
    client.force_login(world.lawyer)
    assert client.get("/clients/").content.decode().count('href="/clients/new/"') == 1
    form = client.get("/clients/new/")
    assert form.status_code == 200
    data = {
        "first_name": " priya ",
        "last_name": "SHARMA",
        "date_of_birth": "1992-04-10",
        "email": "new@example.test",
        "marital_status": "single",
        "preferred_language": "en",
        "assigned_lawyer": world.lawyer.pk,
        "first_case_pathway": "express_entry",
        "first_case_stream": "CEC",
    }
    r = client.post("/clients/new/", data)
    assert r.status_code == 400 and 'id="duplicates"' in r.content.decode()
    assert f'href="/clients/{world.client.pk}/"' in r.content.decode()
    assert Client.objects.filter(firm=world.firm).count() == 1
    r = client.post(
        "/clients/new/",
        {**data, "email": "PRIYA@example.test", "first_name": "Someone", "date_of_birth": "1980-01-01"},
    )
    assert r.status_code == 400  # same email, different name
    r = client.post("/clients/new/", {**data, "create_anyway": "on"})
    assert r.status_code == 302
    new = Client.objects.filter(firm=world.firm).latest("pk")
    case = Case.objects.get(client=new)
    assert r["Location"] == f"/cases/{case.pk}/" and case.pathway == "express_entry" and case.stream == "CEC"
    r = client.post("/clients/new/", {**data, "first_name": "", "email": "not-an-email"})
    assert r.status_code == 400 and "first_name" in r.content.decode()


def test_case_page_identifiers_are_checked_and_shown_whole_only_there(world, client):
    client.force_login(world.lawyer)
    bad = client.post(f"/cases/{world.case.pk}/identifiers/", {"ids-ircc_application_number": "123"})
    assert bad.status_code == 400 and "letter and nine digits" in bad.content.decode()
    ok = client.post(
        f"/cases/{world.case.pk}/identifiers/",
        {"ids-ircc_application_number": "e 099977028", "ids-pnp_file_number": "OINP-123456"},
    )
    assert ok.status_code == 302
    world.case.refresh_from_db()
    assert (world.case.ircc_application_number, world.case.pnp_file_number) == ("E099977028", "OINP-123456")
    assert "E099977028" in client.get(f"/cases/{world.case.pk}/").content.decode()


def test_an_identifier_stored_before_formats_were_checked_does_not_block_other_edits(world):
    from cases.services import case_update

    type(world.case).objects.filter(pk=world.case.pk).update(esdc_file_number="old free text!")
    world.case.refresh_from_db()
    case = case_update(actor=world.actor(), case=world.case, data={"title": "Renamed"})
    assert case.title == "Renamed" and case.esdc_file_number == "old free text!"


def test_a_firm_admin_sets_the_reminder_lead_times(world, api):
    r = api(world.admin).patch("/api/v1/firm/", {"status_reminder_days": [60, 14]}, format="json")
    assert r.status_code == 200 and r.json()["status_reminder_days"] == [60, 14]
    world.firm.refresh_from_db()
    assert world.firm.status_reminder_days == [60, 14]
    bad = api(world.admin).patch("/api/v1/firm/", {"status_reminder_days": [0]}, format="json")
    assert bad.status_code == 400 and "status_reminder_days" in str(bad.json())
    assert (
        api(world.lawyer).patch("/api/v1/firm/", {"status_reminder_days": [5]}, format="json").status_code
        == 403
    )
