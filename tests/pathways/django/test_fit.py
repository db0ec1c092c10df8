"""pathways_fit: every assessor for a client, ranked; not stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from firm.errors import NotFoundError
from firm.scoping import SYSTEM, Actor
from pathways.models import PathwayAssessment
from pathways.rules.registry import ASSESSORS, rank_key
from pathways.selectors import pathways_fit
from tests.pathways.django.conftest import ict_case_facts

pytestmark = pytest.mark.django_db


def test_ranked_fit_uses_open_case_facts(us_engineer: Any, today: date) -> None:
    from tests import factories as f

    f.CaseFactory(client=us_engineer, pathway="ict", facts=ict_case_facts(today))
    f.CaseFactory(
        client=us_engineer, pathway="gts", facts={"job_offer": {"wage_hourly": 1}}
    )  # invalid: reported
    f.CaseFactory(client=us_engineer, pathway="suv", status="closed", facts={"bad": 1})  # closed: ignored
    staff = Actor(kind="staff", firm_id=us_engineer.firm_id, role="lawyer", label="lawyer")
    stored = PathwayAssessment.objects.count()

    fit = pathways_fit(staff, us_engineer)

    assert PathwayAssessment.objects.count() == stored  # nothing stored
    assert fit.client_id == us_engineer.pk and fit.as_of == today
    keys = [rank_key(r.assessment) for r in fit.results]
    assert keys == sorted(keys)  # eligible first, then fewest unmet, then fewest unknown
    pathways = {r.assessment.pathway for r in fit.results}
    assert pathways == set(ASSESSORS)
    top = fit.results[0]
    assert top.assessment.outcome == "eligible"
    eligible = {(r.assessment.pathway, r.assessment.stream) for r in fit.eligible}
    ict_case = us_engineer.cases.get(pathway="ict")
    assert ("ict", "C63") in eligible
    # the ICT case's facts judged ICT and, being the best-informed, CUSMA ICT as well
    assert [(r.assessment.stream, r.case_id) for r in fit.results if r.assessment.pathway == "ict"] == [
        ("C63", ict_case.pk)
    ]
    by_stream = {r.assessment.stream: r for r in fit.results if r.assessment.pathway == "cusma_ict"}
    assert by_stream["T38"].case_id == ict_case.pk and by_stream["T38"].assessment.outcome == "eligible"
    assert by_stream["T37"].case_id is None  # no case says "manager": assessed with empty case facts
    assert list(fit.case_errors) == [us_engineer.cases.get(pathway="gts").pk]
    assert fit.case_errors[us_engineer.cases.get(pathway="gts").pk] == {
        "facts.job_offer.wage_hourly": "Unknown field."
    }
    assert fit.top(2) == fit.results[:2]


def test_fit_without_cases_uses_empty_case_facts(db: Any) -> None:
    from tests import factories as f

    client = f.ClientFactory(citizenships=["MX"])
    fit = pathways_fit(SYSTEM, client.pk, as_of=date(2026, 1, 15))
    assert fit.as_of == date(2026, 1, 15)
    assert all(r.case_id is None for r in fit.results)
    assert not fit.eligible  # nothing is known about offers, employers or tests
    keys = [rank_key(r.assessment) for r in fit.results]
    assert keys == sorted(keys)


def test_fit_is_scoped(us_engineer: Any) -> None:
    from tests import factories as f

    outsider = Actor(kind="staff", firm_id=f.FirmFactory().pk, role="admin", label="x")
    with pytest.raises(NotFoundError):
        pathways_fit(outsider, us_engineer)
    own = Actor(kind="client", firm_id=us_engineer.firm_id, client_id=us_engineer.pk, label="c")
    assert pathways_fit(own, us_engineer).client_id == us_engineer.pk
