"""The pathways API: case assessments (current / history / run), one assessment, the client's ranked
fit, and the portal's /me/assessments; other firms' objects answer 404, bad case facts 400."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cases.models import Document
from pathways.models import PathwayAssessment
from pathways.services import case_assess
from tests.conftest import Tenants
from tests.pathways.django.conftest import ict_case_facts

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenants: Tenants, today: date) -> Tenants:
    """Firm A's case becomes an ICT case with complete facts, assessed once."""
    from dateutil.relativedelta import relativedelta

    from tests import factories as f

    for t in (tenants.a, tenants.b):
        t.client.citizenships = ["US"]
        t.client.save()
        f.WorkExperienceFactory(
            client=t.client,
            employer="Acme Inc",
            country="US",
            start_date=today - relativedelta(months=40),
            end_date=None,
            capacity="specialized_knowledge",
        )
        t.case.pathway = "ict"
        t.case.facts = ict_case_facts(today)
        t.case.save()
        case_assess(case_id=t.case.pk)
    return tenants


def test_case_assessments_list_and_history(world: Tenants, api: Any) -> None:
    a = world.a
    staff = api(a.lawyer)
    r = staff.get(f"/api/v1/cases/{a.case.pk}/assessments/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["pathway"], row["stream"], row["is_current"]) == ("ict", "C63", True)
    assert {"status", "reason", "source", "rule_version", "verification"} <= set(row["criteria"][0])
    assert row["inputs"]["client"]["citizenships"] == ["US"]

    # a change to the case facts (through the API) writes a second row; history shows both
    facts = {**a.case.facts, "mnc_other_countries": 3}
    assert staff.patch(f"/api/v1/cases/{a.case.pk}", {"facts": facts}, format="json").status_code == 200
    run = staff.post(f"/api/v1/cases/{a.case.pk}/assessments/run")
    assert run.status_code == 200, run.content
    assert [x["stream"] for x in run.json()] == ["C63"]
    assert staff.get(f"/api/v1/cases/{a.case.pk}/assessments/").json()["count"] == 1
    history = staff.get(f"/api/v1/cases/{a.case.pk}/assessments/?history=1").json()
    assert history["count"] == 2 and sorted(x["is_current"] for x in history["results"]) == [False, True]
    assert staff.get(f"/api/v1/cases/{a.case.pk}/assessments/?outcome=not_eligible").json()["count"] == 0


def test_run_is_idempotent_and_staff_only(world: Tenants, api: Any) -> None:
    a = world.a
    docs = Document.objects.filter(case=a.case).count()
    rows = PathwayAssessment.objects.count()
    for user in (a.paralegal, a.lawyer):
        r = api(user).post(f"/api/v1/cases/{a.case.pk}/assessments/run/")
        assert r.status_code == 200, r.content
    assert Document.objects.filter(case=a.case).count() == docs
    assert PathwayAssessment.objects.count() == rows
    assert api(a.portal_user).post(f"/api/v1/cases/{a.case.pk}/assessments/run").status_code == 403
    assert api(a.api_key_raw).post(f"/api/v1/cases/{a.case.pk}/assessments/run").status_code == 403
    assert api().post(f"/api/v1/cases/{a.case.pk}/assessments/run").status_code in (401, 403)


def test_bad_case_facts_answer_400_with_the_path(world: Tenants, api: Any) -> None:
    a = world.a
    a.case.facts = {"job_offer": {"wage_hourly": 50}, "application_date": "01/02/2026"}
    a.case.save()
    r = api(a.lawyer).post(f"/api/v1/cases/{a.case.pk}/assessments/run")
    assert r.status_code == 400
    assert r.json() == {
        "error": {
            "facts.application_date": "Must be a date (YYYY-MM-DD).",
            "facts.job_offer.wage_hourly": "Unknown field.",
        }
    }
    # the stored (older) assessment is still served
    assert api(a.lawyer).get(f"/api/v1/cases/{a.case.pk}/assessments/").json()["count"] == 1
    fit = api(a.lawyer).get(f"/api/v1/clients/{a.client.pk}/pathways")
    assert fit.status_code == 200
    assert fit.json()["case_errors"] == {
        str(a.case.pk): {
            "facts.application_date": "Must be a date (YYYY-MM-DD).",
            "facts.job_offer.wage_hourly": "Unknown field.",
        }
    }


def test_cross_firm_answers_404(world: Tenants, api: Any) -> None:
    a, b = world.a, world.b
    row_a = PathwayAssessment.objects.get(case=a.case)
    for user in (b.admin, b.lawyer, b.paralegal):
        c = api(user)
        assert c.get(f"/api/v1/cases/{a.case.pk}/assessments/").status_code == 404
        assert c.post(f"/api/v1/cases/{a.case.pk}/assessments/run").status_code == 404
        assert c.get(f"/api/v1/assessments/{row_a.pk}/").status_code == 404
        assert c.get(f"/api/v1/clients/{a.client.pk}/pathways").status_code == 404
        listed = c.get("/api/v1/assessments/").json()
        assert row_a.pk not in [x["id"] for x in listed["results"]]
    assert api(b.api_key_raw).get(f"/api/v1/assessments/{row_a.pk}/").status_code == 404
    assert PathwayAssessment.objects.filter(case=a.case).count() == 1


def test_assessment_detail_and_list_filters(world: Tenants, api: Any) -> None:
    a = world.a
    row = PathwayAssessment.objects.get(case=a.case)
    staff = api(a.lawyer)
    r = staff.get(f"/api/v1/assessments/{row.pk}/")
    assert r.status_code == 200 and r.json()["id"] == row.pk
    assert staff.get(f"/api/v1/assessments/?case={a.case.pk}&is_current=true").json()["count"] == 1
    assert staff.get("/api/v1/assessments/?pathway=gts").json()["count"] == 0
    assert api(a.api_key_raw).get(f"/api/v1/assessments/{row.pk}").status_code == 200


def test_client_pathways_ranked(world: Tenants, api: Any) -> None:
    a = world.a
    r = api(a.lawyer).get(f"/api/v1/clients/{a.client.pk}/pathways")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["client"] == a.client.pk and body["count"] == len(body["results"]) > 0
    outcomes = [x["outcome"] for x in body["results"]]
    assert outcomes[0] == "eligible"
    assert outcomes == sorted(outcomes, key=lambda o: o != "eligible")
    assert any((x["pathway"], x["stream"], x["case"]) == ("ict", "C63", a.case.pk) for x in body["results"])
    only = api(a.lawyer).get(f"/api/v1/clients/{a.client.pk}/pathways?outcome=eligible&pathway=ict").json()
    assert {(x["pathway"], x["outcome"]) for x in only["results"]} == {("ict", "eligible")}
    assert api(a.lawyer).get(f"/api/v1/clients/{a.client.pk}/pathways?as_of=bad").status_code == 400
    assert api(a.portal_user).get(f"/api/v1/clients/{a.client.pk}/pathways").status_code == 403


def test_me_assessments(world: Tenants, api: Any) -> None:
    a, b = world.a, world.b
    mine = api(a.portal_user).get("/api/v1/me/assessments/")
    assert mine.status_code == 200
    rows = mine.json()["results"]
    assert [x["case"] for x in rows] == [a.case.pk]
    assert "inputs" not in rows[0]
    row_b = PathwayAssessment.objects.get(case=b.case)
    assert api(a.portal_user).get(f"/api/v1/me/assessments/{row_b.pk}/").status_code == 404
    assert api(a.portal_user).get(f"/api/v1/assessments/{rows[0]['id']}/").status_code == 403
    assert api(a.lawyer).get("/api/v1/me/assessments/").status_code == 403


def test_out_of_range_dates_are_400(world: Tenants, api: Any) -> None:
    a = world.a
    staff = api(a.lawyer)
    assert staff.get(f"/api/v1/clients/{a.client.pk}/pathways?as_of=9999-12-31").status_code == 400
    a.case.facts = {**a.case.facts, "application_date": "9999-12-31"}
    a.case.save()
    r = staff.post(f"/api/v1/cases/{a.case.pk}/assessments/run")
    assert r.status_code == 400
    assert r.json() == {"error": {"facts.application_date": "Must be between 1900-01-01 and 2199-12-31."}}
