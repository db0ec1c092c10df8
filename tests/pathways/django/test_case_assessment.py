"""Assessments through the database: stored rows, documents, deadlines, history and re-runs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cases.models import Deadline, Document
from firm.models import AuditEvent
from firm.scoping import SYSTEM
from pathways.models import PathwayAssessment
from pathways.services import case_assess, client_cases_assess, document_kind_for
from tests.pathways.django.conftest import ict_case_facts

pytestmark = pytest.mark.django_db


def _current(case: Any) -> list[PathwayAssessment]:
    return list(PathwayAssessment.objects.filter(case=case, is_current=True).order_by("stream"))


def _state(case: Any) -> tuple[list[tuple[str, str]], list[tuple[str, date]]]:
    docs = sorted(Document.objects.filter(case=case).values_list("checklist_key", "kind"))
    deadlines = sorted(Deadline.objects.filter(case=case).values_list("source_key", "due_on"))
    return docs, deadlines


def test_us_engineer_ict_and_cusma_ict_cases(us_engineer: Any, open_case: Any, today: date) -> None:
    # given two cases opened through the service (the eager task assesses each after commit)
    ict = open_case(us_engineer, "ict", ict_case_facts(today))
    cusma = open_case(us_engineer, "cusma_ict", ict_case_facts(today))

    # then each case has one current, eligible assessment for the specialized-knowledge code
    [a_ict] = _current(ict)
    [a_cusma] = _current(cusma)
    for row, pathway in ((a_ict, "ict"), (a_cusma, "cusma_ict")):
        assert row.pathway == pathway
        assert row.outcome == "eligible", [(c["key"], c["status"], c["reason"]) for c in row.criteria]
        assert row.unmet_count == 0 and row.unknown_count == 0
        assert row.firm_id == us_engineer.firm_id and row.client_id == us_engineer.pk
        assert row.rule_versions["ict"] and row.inputs_hash and row.as_of == today
        assert all(
            {"status", "reason", "source", "rule_version", "verification"} <= set(c) for c in row.criteria
        )
        assert row.inputs["client"]["citizenships"] == ["US"]
        assert row.inputs["case"]["foreign_employer"] == "Acme Inc."
    assert a_ict.stream in ("C63", "C12") and a_cusma.stream in ("T38", "T24")
    months = next(c for c in a_ict.criteria if c["key"] == "qualifying_employment")
    assert "14 months" in months["reason"]
    assert next(c for c in a_cusma.criteria if c["key"] == "citizenship")["status"] == "met"

    # and the checklist became requested documents, keyed <pathway>:<stream>:<item kind>
    docs, deadlines = _state(ict)
    keys = {k for k, _ in docs}
    assert f"ict:{a_ict.stream}:relationship_proof" in keys
    assert f"ict:{a_ict.stream}:specialized_knowledge_evidence" in keys
    kinds = dict(docs)
    assert kinds[f"ict:{a_ict.stream}:relationship_proof"] == "corporate"
    assert kinds[f"ict:{a_ict.stream}:twelve_months_evidence"] == "reference_letter"
    assert kinds[f"ict:{a_ict.stream}:work_description"] == "other"
    labels = dict(Document.objects.filter(case=ict).values_list("checklist_key", "label"))
    assert labels[f"ict:{a_ict.stream}:work_description"].startswith("Detailed description of the work")
    cusma_docs, cusma_deadlines = _state(cusma)
    assert (f"cusma_ict:{a_cusma.stream}:passport_citizenship", "passport") in cusma_docs
    # and the key dates became deadlines, keyed <pathway>:<date kind>
    assert {k for k, _ in deadlines} >= {"ict:initial_permit_max_end", "ict:ict_cap_reached"}
    assert {k for k, _ in cusma_deadlines} >= {"cusma_ict:initial_permit_max_end"}
    # created by the system actor
    assert AuditEvent.objects.filter(action="request", actor_label="system", client=us_engineer).exists()
    assert AuditEvent.objects.filter(action="assess", actor_label="system", object_id=str(a_ict.pk)).exists()

    # when the cases are assessed again with nothing changed
    before = (_state(ict), _state(cusma), PathwayAssessment.objects.count())
    case_assess(case_id=ict.pk)
    case_assess(case_id=cusma.pk)
    client_cases_assess(client_id=us_engineer.pk)

    # then no row, document or deadline is duplicated
    assert (_state(ict), _state(cusma), PathwayAssessment.objects.count()) == before
    assert [r.pk for r in _current(ict)] == [a_ict.pk]


def test_fact_change_writes_a_new_row_and_keeps_the_old(
    us_engineer: Any, open_case: Any, today: date, django_capture_on_commit_callbacks: Any
) -> None:
    from firm.services import client_fact_create

    case = open_case(us_engineer, "cusma_ict", ict_case_facts(today))
    [old] = _current(case)
    docs_before, deadlines_before = _state(case)

    # when a fact of the client changes through the firm service (the hook re-assesses after commit)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_fact_create(
            actor=SYSTEM,
            client=us_engineer,
            kind="language_test",
            data={
                "test": "celpip",
                "test_date": today,
                "listening": 9,
                "reading": 9,
                "writing": 9,
                "speaking": 9,
            },
        )
    assert len(callbacks) == 1  # one event; its subscriber enqueues the refresh (score, then re-assessment)

    # then a new current row exists and the old one is kept as history
    [new] = _current(case)
    assert new.pk != old.pk and new.inputs_hash != old.inputs_hash
    assert new.inputs["client"]["first_language"]["clb"] == {
        "listening": 9,
        "reading": 9,
        "writing": 9,
        "speaking": 9,
    }
    old.refresh_from_db()
    assert old.is_current is False
    assert PathwayAssessment.objects.filter(case=case).count() == 2
    # and documents/deadlines are still not duplicated
    assert _state(case) == (docs_before, deadlines_before)


def test_case_fact_change_updates_deadline(
    us_engineer: Any, open_case: Any, today: date, django_capture_on_commit_callbacks: Any
) -> None:
    from cases.services import case_update

    facts = ict_case_facts(today)
    case = open_case(us_engineer, "ict", facts)
    first = Deadline.objects.get(case=case, source_key="ict:initial_permit_max_end")
    later = (
        today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29)
        else date(today.year + 1, 3, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_update(actor=SYSTEM, case=case, data={"facts": {**facts, "application_date": later.isoformat()}})
    moved = Deadline.objects.get(case=case, source_key="ict:initial_permit_max_end")
    assert moved.pk == first.pk and moved.due_on > first.due_on
    assert PathwayAssessment.objects.filter(case=case).count() == 2


def test_gts_received_friday_before_labour_day(db: Any, open_case: Any) -> None:
    from tests import factories as f

    client = f.ClientFactory(citizenships=["IN"])
    # Friday 2026-09-04; Monday 2026-09-07 is Labour Day (federal and Ontario). Day 1 is Tuesday 09-08,
    # so the 10th business day is Monday 2026-09-21.
    facts = {
        "gts_category": "B",
        "application_received_date": "2026-09-04",
        "job_offer": {
            "employer": "Maple Soft Inc.",
            "noc": "21231",
            "hourly_wage": 55.0,
            "annual_wage": 114400.0,
            "hours_per_week": 40,
            "province": "ON",
            "prevailing_wage_hourly": 50.0,
            "internal_wage_range_hourly": [48.0, 65.0],
        },
        "lmbp": {"has_plan": True, "mandatory_benefits": ["skills_training"], "complementary_benefits": 2},
        "attestations": {"gts.employer_operates_in_canada": True},
    }
    case = open_case(client, "gts", facts, stream="GTS Category B")
    [row] = _current(case)
    assert (row.pathway, row.stream) == ("gts", "category_b")
    decision = Deadline.objects.get(case=case, source_key="gts:lmia_decision_expected")
    assert decision.due_on == date(2026, 9, 21)
    assert decision.kind == "lmia_decision_expected"
    assert decision.source_rule.startswith("gts:category_b")


def test_pnp_case_uses_the_province_assessor(db: Any, open_case: Any) -> None:
    from tests import factories as f

    client = f.ClientFactory()
    case = open_case(client, "pnp", {"pnp": {"province": "BC", "ita_date": "2026-10-01"}})
    rows = _current(case)
    assert rows and {r.pathway for r in rows} == {"bcpnp"}
    assert Deadline.objects.get(case=case, source_key="bcpnp:bcpnp_application_due").due_on == date(
        2026, 10, 31
    )
    unassigned = open_case(client, "pnp", {})
    assert {r.pathway for r in _current(unassigned)} == {"oinp", "bcpnp", "aaip", "sinp", "mpnp"}


def test_invalid_facts_in_the_background_are_skipped(db: Any, open_case: Any, today: date) -> None:
    from cases.models import Case
    from tests import factories as f

    client = f.ClientFactory()
    # Services refuse such facts now; rows written before that validation existed must not break the task.
    case = Case.objects.create(
        firm=client.firm, client=client, pathway="ict", facts={"job_offer": {"wage_hourly": 50}}
    )
    assert not PathwayAssessment.objects.filter(case=case).exists()
    assert client_cases_assess(client_id=client.pk) == 0
    from firm.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        case_assess(case_id=case.pk)
    assert exc.value.fields == {"facts.job_offer.wage_hourly": "Unknown field."}


def test_closed_case_gets_no_documents(us_engineer: Any, today: date) -> None:
    from tests import factories as f

    case = f.CaseFactory(client=us_engineer, pathway="ict", status="closed", facts=ict_case_facts(today))
    [row] = case_assess(case_id=case.pk)
    assert row.outcome == "eligible"
    assert not Document.objects.filter(case=case).exists() and not Deadline.objects.filter(case=case).exists()


def test_other_pathway_has_no_assessor(db: Any) -> None:
    from tests import factories as f

    case = f.CaseFactory(pathway="other")
    assert case_assess(case_id=case.pk) == []


def test_document_kind_mapping() -> None:
    assert document_kind_for("passport_citizenship") == "passport"
    assert document_kind_for("language_results") == "language_test"
    assert document_kind_for("lmia_decision_letter") == "lmia"
    assert document_kind_for("apegs_letter") == "other"


def test_staff_actor_of_another_firm_cannot_assess(us_engineer: Any, today: date) -> None:
    from firm.errors import NotFoundError
    from firm.scoping import Actor
    from tests import factories as f

    case = f.CaseFactory(client=us_engineer, pathway="ict", facts=ict_case_facts(today))
    other = Actor(kind="staff", firm_id=f.FirmFactory().pk, role="lawyer", user_id=None, label="x")
    with pytest.raises(NotFoundError):
        case_assess(case_id=case.pk, actor=other)
