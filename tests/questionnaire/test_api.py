"""The questionnaire over the API: drafts, validation, submit, review, conflicts, scoping."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from firm.models import AuditEvent, Client, LanguageTest, WorkExperience
from firm.scoping import actor_for_user
from firm.services import client_fact_update
from notifications.models import Notification
from questionnaire.models import ProposedChange, Questionnaire
from scoring.models import CRSScore
from tests.fixtures.web import login

ME = "/api/v1/me/questionnaire/"


def api_for(user) -> APIClient:
    api = APIClient()
    login(api, user)
    return api


@pytest.fixture
def ana(world):
    return api_for(world.client_a.portal_user)


@pytest.fixture
def lawyer(world):
    return api_for(world.lawyer_a)


def language_section(draft: dict, **scores) -> dict:
    tests = [dict(t) for t in draft["sections"]["language"]["language_tests"]]
    tests[0].update(scores)
    return {"language_tests": tests}


def test_draft_is_prefilled_from_the_file_and_saved_by_section(world, ana):
    draft = ana.get(ME).json()
    assert draft["status"] == "draft" and draft["progress"] == {"saved": 0, "total": 9}
    tests = draft["sections"]["language"]["language_tests"]
    stored = LanguageTest.objects.get(client=world.client_a)
    assert [t["id"] for t in tests] == [stored.pk] and tests[0]["listening"] == "8.0"
    before_score = draft["score"]["total"]
    assert before_score is not None  # the live score of the stored facts

    r = ana.put(
        ME,
        {
            "version": draft["version"],
            "sections": {
                "language": language_section(
                    draft, reading="9.0", writing="8.0", speaking="8.0", listening="8.5"
                )
            },
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["sections_saved"] == ["language"] and body["progress"]["saved"] == 1
    assert body["score"]["total"] > before_score  # better IELTS, higher CRS, by the same engine
    # nothing stored changed: a draft is not the file
    stored.refresh_from_db()
    assert float(stored.reading) == 7.0

    # reopened later: the same draft
    again = ana.get(ME).json()
    assert (
        again["id"] == draft["id"] and again["sections"]["language"]["language_tests"][0]["reading"] == "9.0"
    )


def test_impossible_values_are_refused_with_the_field_named(world, ana):
    draft = ana.get(ME).json()
    bad = language_section(draft, listening="12.5")  # IELTS bands stop at 9
    r = ana.put(ME, {"version": draft["version"], "sections": {"language": bad}}, format="json")
    assert r.status_code == 400
    assert any(k.startswith("language.language_tests[0].listening") for k in r.json()["error"]), r.json()
    work = {
        "work": [
            {
                "noc_code": "21231",
                "teer": 1,
                "start_date": "2020-01-01",
                "end_date": "2019-01-01",
                "hours_per_week": "40",
            }
        ]
    }
    r = ana.put(ME, {"sections": {"work": work}}, format="json")
    assert r.status_code == 400 and "work.work[0].end_date" in r.json()["error"]
    r = ana.put(ME, {"sections": {"funds": {"settlement_funds_cad": "-5"}}}, format="json")
    assert r.status_code == 400 and "funds.settlement_funds_cad" in r.json()["error"]
    r = ana.put(ME, {"sections": {"nope": {}}}, format="json")
    assert r.status_code == 400 and "sections.nope" in r.json()["error"]
    r = ana.put(
        ME,
        {
            "sections": {
                "work": {
                    "work": [
                        {
                            "id": 999999,
                            "noc_code": "21231",
                            "teer": 1,
                            "start_date": "2020-01-01",
                            "hours_per_week": "40",
                        }
                    ]
                }
            }
        },
        format="json",
    )
    assert r.status_code == 400 and "work.work[0].id" in r.json()["error"]
    assert Questionnaire.objects.get(client=world.client_a).sections_saved == []


def test_a_stale_version_is_a_409_not_an_overwrite(world, ana):
    draft = ana.get(ME).json()
    ok = ana.put(
        ME,
        {
            "version": draft["version"],
            "sections": {"funds": {"settlement_funds_cad": "20000.00", "family_size": 1}},
        },
        format="json",
    )
    assert ok.status_code == 200
    stale = ana.put(
        ME,
        {
            "version": draft["version"],
            "sections": {"funds": {"settlement_funds_cad": "1.00", "family_size": 1}},
        },
        format="json",
    )
    assert stale.status_code == 409
    assert ana.get(ME).json()["sections"]["funds"]["settlement_funds_cad"] == "20000.00"


def submit_with_changes(world, ana) -> dict:
    draft = ana.get(ME).json()
    lang = language_section(draft, reading="8.5")
    work = [dict(w) for w in draft["sections"]["work"]["work"]]
    work.append(
        {
            "employer": "Old Co",
            "job_title": "Developer",
            "noc_code": "21232",
            "teer": 1,
            "start_date": "2012-01-01",
            "end_date": "2013-06-30",
            "hours_per_week": "40",
            "country": "FR",
        }
    )
    funds = {"settlement_funds_cad": "25000.00", "family_size": None}
    r = ana.put(
        ME,
        {"version": draft["version"], "sections": {"language": lang, "work": {"work": work}, "funds": funds}},
        format="json",
    )
    assert r.status_code == 200, r.content
    r = ana.post(ME + "submit/", {"version": r.json()["version"]}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    return r.json()


def test_submit_changes_nothing_and_review_applies_only_accepted(
    world, ana, lawyer, django_capture_on_commit_callbacks
):
    audit_before = AuditEvent.objects.filter(client=world.client_a).count()
    work_before = WorkExperience.objects.filter(client=world.client_a).count()
    submit_with_changes(world, ana)
    assert WorkExperience.objects.filter(client=world.client_a).count() == work_before
    assert Client.objects.get(pk=world.client_a.pk).settlement_funds_cad is None
    assert AuditEvent.objects.filter(client=world.client_a).count() == audit_before

    pending = lawyer.get(f"/api/v1/clients/{world.client_a.pk}/questionnaire/").json()["pending"]
    by = {(c["table"] or c["field"]): c for c in pending}
    assert sorted(by) == ["language_tests", "settlement_funds_cad", "work"], pending
    assert by["language_tests"]["op"] == "changed" and by["language_tests"]["stored"]["reading"] == "7.0"
    assert by["language_tests"]["proposed"]["reading"] == "8.5"
    assert by["work"]["op"] == "added" and by["work"]["stored"] is None
    assert by["settlement_funds_cad"]["op"] == "changed"

    bad = lawyer.post(
        f"/api/v1/clients/{world.client_a.pk}/questionnaire/review/",
        {"accept": [], "reject": [{"id": by["work"]["id"], "reason": ""}]},
        format="json",
    )
    assert bad.status_code == 400 and "reject[0].reason" in bad.json()["error"]

    with django_capture_on_commit_callbacks(execute=True):
        r = lawyer.post(
            f"/api/v1/clients/{world.client_a.pk}/questionnaire/review/",
            {
                "accept": [by["language_tests"]["id"], by["settlement_funds_cad"]["id"]],
                "reject": [{"id": by["work"]["id"], "reason": "No reference letter for this job."}],
            },
            format="json",
        )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "reviewed"
    assert float(LanguageTest.objects.get(client=world.client_a).reading) == 8.5
    assert Client.objects.get(pk=world.client_a.pk).settlement_funds_cad == 25000
    assert WorkExperience.objects.filter(client=world.client_a).count() == work_before  # rejected
    audits = AuditEvent.objects.filter(client=world.client_a, actor=world.lawyer_a, action="update")
    assert audits.count() == 2
    score = CRSScore.objects.filter(client=world.client_a, is_current=True).first()
    assert score is not None  # recomputed after commit

    outcome = ana.get(ME).json()["outcome"]
    assert {c["status"] for c in outcome} == {"accepted", "rejected"}
    assert any(c["reason"] == "No reference letter for this job." for c in outcome)


def test_a_staff_edit_while_the_draft_is_open_is_a_conflict(world, ana, lawyer):
    draft = ana.get(ME).json()
    stored = LanguageTest.objects.get(client=world.client_a)
    client_fact_update(actor=actor_for_user(world.lawyer_a), fact=stored, data={"speaking": 8})
    seen = ana.get(ME).json()
    assert any(c["table"] == "language_tests" for c in seen["conflicts"])
    r = ana.put(
        ME,
        {"version": draft["version"], "sections": {"language": language_section(draft, reading="9.0")}},
        format="json",
    )
    assert r.status_code == 200
    ana.post(ME + "submit/", {}, format="json")
    pending = lawyer.get(f"/api/v1/clients/{world.client_a.pk}/questionnaire/").json()["pending"]
    change = next(c for c in pending if c["table"] == "language_tests")
    assert change["conflict"] is True
    assert change["stored"]["speaking"] == "8.0" and change["seen_by_client"]["speaking"] == "7.0"
    r = lawyer.post(
        f"/api/v1/clients/{world.client_a.pk}/questionnaire/review/",
        {"accept": [change["id"]]},
        format="json",
    )
    assert r.status_code == 400 and f"accept.{change['id']}" in r.json()["error"]
    stored.refresh_from_db()
    assert float(stored.speaking) == 8.0 and float(stored.reading) == 7.0  # the staff edit stands


def test_scoping_other_firm_and_other_client(world, lawyer):
    other = api_for(world.lawyer_b)
    assert other.get(f"/api/v1/clients/{world.client_a.pk}/questionnaire/").status_code == 404
    assert (
        other.post(
            f"/api/v1/clients/{world.client_a.pk}/questionnaire/review/", {"accept": []}, format="json"
        ).status_code
        == 404
    )
    client_api = api_for(world.client_a.portal_user)
    assert client_api.get(f"/api/v1/clients/{world.client_a.pk}/questionnaire/").status_code == 403
    assert lawyer.get(ME).status_code == 403
    # each client sees their own draft only
    bo = api_for(world.client_a2.portal_user).get(ME).json()
    ana = client_api.get(ME).json()
    assert bo["id"] != ana["id"]
    assert Questionnaire.objects.get(pk=bo["id"]).client_id == world.client_a2.pk
    anon = APIClient()
    assert anon.get(ME).status_code in (401, 403)


def test_send_and_send_back_email_a_link(world, ana, lawyer, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        r = lawyer.post(f"/api/v1/clients/{world.client_a.pk}/questionnaire/send/")
    assert r.status_code == 202
    note = Notification.objects.get(client=world.client_a, kind="questionnaire_request")
    from notifications.services import render_notification

    subject, text, html = render_notification(note)
    assert subject.strip()
    import re

    from django.test import Client as WebClient

    link = re.search(r"https?://\S+/login/link/\S+", text).group(0)
    assert link in html and link.endswith("?next=/portal/questionnaire/")
    path = link.split("://", 1)[1].split("/", 1)[1]
    browser = WebClient()
    assert browser.get("/" + path).status_code == 200  # the confirm button (mail scanners do not log in)
    landed = browser.post("/" + path)
    assert landed.status_code == 302 and landed["Location"] == "/portal/questionnaire/"
    submit_with_changes(world, ana)
    r = lawyer.post(
        f"/api/v1/clients/{world.client_a.pk}/questionnaire/return/",
        {"questions": [{"path": "work.work[1]", "text": "Which city was this job in?"}]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    mine = ana.get(ME).json()
    assert mine["editable"] and mine["questions"][0]["text"] == "Which city was this job in?"
    assert ProposedChange.objects.filter(questionnaire_id=mine["id"], status="pending").count() == 0
    bad = lawyer.post(
        f"/api/v1/clients/{world.client_a.pk}/questionnaire/return/",
        {"questions": [{"path": "x", "text": "?"}]},
        format="json",
    )
    assert bad.status_code == 400


def test_proof_upload_becomes_a_case_document(world, ana):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.fixtures.web import PDF

    upload = SimpleUploadedFile("ielts.pdf", PDF, content_type="application/pdf")
    r = ana.post(ME + "documents/", {"table": "language_tests", "file": upload}, format="multipart")
    assert r.status_code == 201, r.content
    from cases.models import Document

    doc = Document.objects.get(pk=r.json()["document_id"])
    assert (
        doc.case.client_id == world.client_a.pk and doc.kind == "language_test" and doc.status == "uploaded"
    )
    evil = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script>", content_type="text/html")
    assert (
        ana.post(ME + "documents/", {"table": "language_tests", "file": evil}, format="multipart").status_code
        == 400
    )
    assert (
        ana.post(
            ME + "documents/",
            {"table": "funds", "file": SimpleUploadedFile("a.pdf", PDF)},
            format="multipart",
        ).status_code
        == 400
    )


def test_schema_lists_the_endpoints(world, lawyer):
    api = lawyer
    text = api.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/me/questionnaire/",
        "/api/v1/me/questionnaire/submit/",
        "/api/v1/clients/{client_id}/questionnaire/",
        "/api/v1/clients/{client_id}/questionnaire/review/",
    ):
        assert path in text
