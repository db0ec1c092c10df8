"""Milestones: derived deadlines from dated rule data, moved by a correction, closed by the follow-up,
the case status they imply, the portal's plain words; API and page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from cases.milestone_kinds import CLIENT_TEXT
from cases.milestones import milestone_record, milestone_rules, status_path
from cases.models import Deadline, Milestone

pytestmark = pytest.mark.django_db


def _deadlines(client, **params):
    return client.get("/api/v1/deadlines/", params).json()["results"]


def test_ita_derives_the_60_day_deadline_with_its_kind_and_moves_the_case(world, api):
    lawyer = api(world.lawyer)
    ita = timezone.localdate() - timedelta(days=3)
    r = lawyer.post(
        f"/api/v1/cases/{world.case.pk}/milestones/",
        {"kind": "ita_received", "date": ita.isoformat(), "note": "CRS 521"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind"] == "ita_received" and body["note"] == "CRS 521"
    assert [d["kind"] for d in body["deadlines"]] == ["ee_apr_due"]
    listed = _deadlines(lawyer, case=world.case.pk, kind="ee_apr_due")
    assert len(listed) == 1
    assert listed[0]["due_on"] == (ita + timedelta(days=60)).isoformat()
    assert listed[0]["milestone"] == body["id"] and listed[0]["done"] is False
    assert "canada.ca" in listed[0]["source_rule"]
    world.case.refresh_from_db()
    assert world.case.status == "documents"
    assert list(world.case.status_changes.values_list("to_status", flat=True)) == ["assessment", "documents"]
    assert lawyer.get(f"/api/v1/cases/{world.case.pk}/milestones/").json()["results"][0]["id"] == body["id"]


def test_correcting_the_milestone_date_moves_its_deadline(world, api):
    lawyer = api(world.lawyer)
    first = timezone.localdate() - timedelta(days=10)
    mid = lawyer.post(
        f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "ita_received", "date": first}
    ).json()["id"]
    corrected = first - timedelta(days=5)
    r = lawyer.patch(
        f"/api/v1/cases/{world.case.pk}/milestones/{mid}/", {"date": corrected.isoformat()}, format="json"
    )
    assert r.status_code == 200, r.content
    (deadline,) = _deadlines(lawyer, case=world.case.pk, kind="ee_apr_due")
    assert deadline["due_on"] == (corrected + timedelta(days=60)).isoformat()


def test_the_follow_up_milestone_closes_the_deadline(world, api):
    lawyer = api(world.lawyer)
    today = timezone.localdate()
    lawyer.post(
        f"/api/v1/cases/{world.case.pk}/milestones/",
        {"kind": "biometrics_instruction", "date": today - timedelta(days=4)},
    )
    (open_dl,) = _deadlines(lawyer, case=world.case.pk, kind="biometrics_due")
    assert open_dl["due_on"] == (today + timedelta(days=26)).isoformat() and not open_dl["done"]
    done = lawyer.post(
        f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "biometrics_done", "date": today}
    ).json()
    (closed,) = _deadlines(lawyer, case=world.case.pk, kind="biometrics_due")
    assert closed["done"] is True and closed["closed_by"] == done["id"]
    assert _deadlines(lawyer, case=world.case.pk, done=False, kind="biometrics_due") == []


def test_a_procedural_fairness_letter_takes_the_letters_date_else_30_days(world, api):
    lawyer = api(world.lawyer)
    today = timezone.localdate()
    lawyer.post(f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "pfl_received", "date": today})
    given = today + timedelta(days=14)
    lawyer.post(
        f"/api/v1/cases/{world.other_case.pk}/milestones/", {"kind": "pfl_received", "date": today}
    )  # 404
    second = api(world.lawyer).post(
        f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "pfl_received", "date": today, "due_on": given}
    )
    assert second.status_code == 201
    dues = sorted(d["due_on"] for d in _deadlines(lawyer, case=world.case.pk, kind="pfl_response_due"))
    assert dues == sorted([(today + timedelta(days=30)).isoformat(), given.isoformat()])


def test_a_request_without_a_date_makes_no_deadline_and_gets_one_when_the_date_is_entered(world, api):
    lawyer = api(world.lawyer)
    today = timezone.localdate()
    mid = lawyer.post(
        f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "ppr_received", "date": today}
    ).json()["id"]
    assert _deadlines(lawyer, case=world.case.pk, kind="passport_due") == []
    lawyer.patch(
        f"/api/v1/cases/{world.case.pk}/milestones/{mid}/",
        {"due_on": (today + timedelta(days=20)).isoformat()},
        format="json",
    )
    (dl,) = _deadlines(lawyer, case=world.case.pk, kind="passport_due")
    assert dl["due_on"] == (today + timedelta(days=20)).isoformat()


def test_deleting_a_milestone_removes_its_deadlines_and_reopens_what_it_closed(world, api):
    lawyer = api(world.lawyer)
    today = timezone.localdate()
    lawyer.post(f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "medical_instruction", "date": today})
    done = lawyer.post(
        f"/api/v1/cases/{world.case.pk}/milestones/", {"kind": "medical_done", "date": today}
    ).json()
    assert _deadlines(lawyer, case=world.case.pk, kind="medical_due")[0]["done"] is True
    assert lawyer.delete(f"/api/v1/cases/{world.case.pk}/milestones/{done['id']}/").status_code == 204
    assert _deadlines(lawyer, case=world.case.pk, kind="medical_due")[0]["done"] is False
    instruction = Milestone.objects.get(kind="medical_instruction")
    lawyer.delete(f"/api/v1/cases/{world.case.pk}/milestones/{instruction.pk}/")
    assert not Deadline.objects.filter(case=world.case, kind="medical_due").exists()


def test_bad_milestones_are_400s_naming_the_field_and_other_firms_cases_404(world, api):
    lawyer = api(world.lawyer)
    url = f"/api/v1/cases/{world.case.pk}/milestones/"
    r = lawyer.post(url, {"kind": "visa_granted", "date": "2026-01-01"})
    assert r.status_code == 400 and "kind" in str(r.json())
    r = lawyer.post(
        url, {"kind": "ita_received", "date": (timezone.localdate() + timedelta(days=30)).isoformat()}
    )
    assert r.status_code == 400 and "date" in str(r.json())
    r = lawyer.post(url, {"kind": "pfl_received", "date": "2026-01-10", "due_on": "2026-01-01"})
    assert r.status_code == 400 and "due_on" in str(r.json())
    assert (
        lawyer.post(
            f"/api/v1/cases/{world.other_case.pk}/milestones/", {"kind": "ita_received", "date": "2026-01-01"}
        ).status_code
        == 404
    )
    assert api().get(url).status_code in (401, 403)
    assert Milestone.objects.count() == 0


def test_milestones_drive_the_status_forward_only(world):
    lawyer = world.actor("lawyer")
    today = timezone.localdate()
    case = world.case
    case.status = "filed"
    case.save()
    milestone_record(actor=lawyer, case=case, kind="ita_received", on=today)  # already past: no move back
    case.refresh_from_db()
    assert case.status == "filed"
    milestone_record(actor=lawyer, case=case, kind="refused", on=today)
    case.refresh_from_db()
    assert case.status == "refused" and case.closed_at is not None
    assert status_path("refused", "documents") == []  # never backwards
    assert status_path("intake", "documents") == ["assessment", "documents"]
    other = world.other_case
    other.status = "decision_pending"
    other.save()
    from tests.cases.lifecycle.conftest import actor

    milestone_record(actor=actor(world.other_lawyer), case=other, kind="landed", on=today)
    other.refresh_from_db()
    assert other.status == "closed"
    assert list(other.status_changes.values_list("to_status", flat=True)) == ["approved", "closed"]


def test_every_issue_kind_has_rules_and_plain_words():
    kinds = {
        "ita_received",
        "application_submitted",
        "aor_received",
        "biometrics_instruction",
        "biometrics_done",
        "medical_instruction",
        "medical_done",
        "pfl_received",
        "additional_docs_request",
        "ppr_received",
        "copr_issued",
        "landed",
        "refused",
        "withdrawn",
        "lmia_submitted",
        "lmia_approved",
        "permit_issued",
        "nomination_received",
    }
    rules = milestone_rules()
    assert kinds <= set(rules)
    assert kinds <= set(CLIENT_TEXT)
    for rule in rules.values():
        if isinstance(rule, dict):
            for d in rule["deadlines"]:
                assert d["source"] and d["status"] in {"official", "two_sources", "one_source", "unverified"}


def test_portal_shows_milestones_in_plain_words_in_english_and_french(world, api):
    from firm.models import User

    portal_user = User.objects.create_user(
        email="priya-portal@example.test", password="x" * 14, preferred_language="fr"
    )
    world.client.portal_user = portal_user
    world.client.save()
    milestone_record(actor=world.actor(), case=world.case, kind="ppr_received", on=date.today())
    me = api(portal_user)
    rows = me.get("/api/v1/me/milestones/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert rows[0]["text"] == "The government asked for your passport: a very good sign."
    with translation.override("fr"):
        assert "passeport" in str(CLIENT_TEXT["ppr_received"])
    assert api(world.other_lawyer).get("/api/v1/me/milestones/").status_code == 403


def test_portal_case_page_tells_the_milestones_in_the_clients_language(world, client):
    from firm.models import User

    portal_user = User.objects.create_user(
        email="priya-portal@example.test", password="x" * 14, preferred_language="fr"
    )
    world.client.portal_user = portal_user
    world.client.preferred_language = "fr"
    world.client.save()
    milestone_record(actor=world.actor(), case=world.case, kind="ita_received", on=date.today())
    client.force_login(portal_user)
    html = client.get(f"/portal/cases/{world.case.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        expected = str(CLIENT_TEXT["ita_received"])
    assert expected != "You were invited to apply for permanent residence."
    assert expected in html


def test_case_page_records_corrects_and_shows_milestones(world, client):
    client.force_login(world.lawyer)
    today = timezone.localdate()
    page = client.get(f"/cases/{world.case.pk}/")
    assert page.status_code == 200 and b'id="milestone-form"' in page.content
    r = client.post(
        f"/cases/{world.case.pk}/milestones/new/",
        {"ms-kind": "ita_received", "ms-date": today.isoformat(), "ms-note": "round 300"},
    )
    assert r.status_code == 302
    m = Milestone.objects.get(case=world.case)
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert "Invitation to apply received" in html and "round 300" in html
    assert (today + timedelta(days=60)).isoformat() in html
    client.post(f"/milestones/{m.pk}/edit/", {"date": (today - timedelta(days=1)).isoformat()})
    assert Deadline.objects.get(milestone=m).due_on == today + timedelta(days=59)
    bad = client.post(
        f"/cases/{world.case.pk}/milestones/new/", {"ms-kind": "ita_received", "ms-date": "2099-01-01"}
    )
    assert bad.status_code == 400 and "future" in bad.content.decode()
