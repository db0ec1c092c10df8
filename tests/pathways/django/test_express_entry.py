"""Express Entry on a case: the stored CRS score is an input, recent cut-offs are context, and the ITA
date given in the case facts makes the e-APR deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Deadline
from pathways.models import PathwayAssessment

pytestmark = pytest.mark.django_db


def test_express_entry_case_with_score_and_cutoffs(db: Any, open_case: Any, today: date) -> None:
    from scoring.models import Draw
    from tests import factories as f

    client = f.ClientFactory(date_of_birth=date(1994, 3, 3), citizenships=["IN"])
    f.LanguageTestFactory(client=client, test="ielts", test_date=today - timedelta(days=100))
    f.EducationFactory(client=client, level="masters", eca_date=today - timedelta(days=300))
    f.WorkExperienceFactory(client=client, start_date=date(2020, 1, 1), end_date=None, country="IN")
    for number, days_ago, category, cutoff in (
        ("9001", 20, "cec", 515),
        ("9002", 10, "stem", 470),
        ("9000", 40, "general", 530),
    ):
        Draw.objects.create(
            draw_number=number,
            draw_date=today - timedelta(days=days_ago),
            category=category,
            invitations=1000,
            min_crs=cutoff,
            content_hash=number,
            updated_at=timezone.now(),
        )
    from scoring.services.scores import client_recompute

    stored = client_recompute(client_id=client.pk)  # the score a fact change would have computed
    assert stored is not None
    ita = today - timedelta(days=5)
    case = open_case(client, "express_entry", {"client": {"ee_ita_date": ita.isoformat()}}, stream="CEC")

    rows = {r.stream: r for r in PathwayAssessment.objects.filter(case=case, is_current=True)}
    assert {"fsw", "cec", "fst"} <= set(rows)
    cec = rows["cec"]
    score = cec.inputs["client"]["ee_crs_score"]
    assert score == stored.total
    assert cec.context["crs_score"] == score
    assert [c["draw_number"] for c in cec.context["cutoffs"]] == [
        "9001",
        "9000",
    ]  # cec + general, newest first
    assert cec.context["clears_latest_cutoff"] == (score >= 515)
    stem = next((r for s, r in rows.items() if s == "category:stem"), None)
    if stem is not None:
        assert [c["draw_number"] for c in stem.context["cutoffs"]] == ["9002"]
    # Case.stream "CEC" picks the CEC assessment for the case's deadlines; ITA + 60 days.
    apr = Deadline.objects.get(case=case, source_key="express_entry:ee_apr_due")
    assert apr.due_on == ita + timedelta(days=60)
    assert apr.source_rule.startswith("express_entry:cec")
    assert Deadline.objects.filter(case=case, source_key="express_entry:language_test_expiry").exists()
