"""The client page never contradicts itself: the eligibility panel and the pathway panel read the same
facts (one snapshot), so "Not assessed yet" never sits beside an Express Entry assessment, and a program's
outcome is the same in both panels, whether or not a score is stored yet."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from firm.models import Education
from firm.scoping import SYSTEM
from pathways.selectors import pathways_fit
from scoring.models import CRSScore, Eligibility
from scoring.services.scores import client_recompute
from tests.fixtures.web import login

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SUMMARY = re.compile(r'<summary><span class="badge[^"]*">([^<]+)</span>\s*(.*?)</summary>', re.S)


def _panel(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end)]


def _outcomes(panel: str) -> dict[str, str]:
    """{name shown: outcome shown} for every row of a panel."""
    return {
        re.sub(r"<[^>]+>|\s+", " ", name).split("·  ")[0].strip(): badge
        for badge, name in SUMMARY.findall(panel)
    }


def _page(client, world) -> tuple[str, str, str]:
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[world.client_a.pk])).content.decode()
    return html, _panel(html, 'id="elig-h"', 'id="path-h"'), _panel(html, 'id="path-h"', 'id="facts-h"')


def _ee_outcomes(world) -> dict[str, str]:
    fit = pathways_fit(SYSTEM, world.client_a)
    return {
        r.assessment.stream: r.assessment.outcome
        for r in fit.results
        if r.assessment.pathway == "express_entry"
    }


def _check_agree(eligibility: str, pathways: str, world) -> None:
    assert "Not assessed yet" not in eligibility
    programs = _outcomes(eligibility)
    assessed = _outcomes(pathways)
    ee = _ee_outcomes(world)
    assert ee, "the Express Entry streams are assessed"
    labels = {
        "cec": "Canadian Experience Class",
        "fsw": "Federal Skilled Worker",
        "fst": "Federal Skilled Trades",
    }
    compared = 0
    for stream, name in labels.items():
        in_pathways = [v for k, v in assessed.items() if k.startswith("Express Entry") and name in k]
        if stream in ee and in_pathways:
            assert programs[name] == in_pathways[0], (name, programs, assessed)
            compared += 1
    assert compared >= 1


def test_no_score_stored_yet_the_panels_agree(client, world):
    assert not CRSScore.objects.filter(client=world.client_a).exists()
    assert not Eligibility.objects.filter(client=world.client_a).exists()
    html, eligibility, pathways = _page(client, world)
    _check_agree(eligibility, pathways, world)
    assert 'id="eligibility-computed"' in html
    assert _outcomes(eligibility)["Canadian Experience Class"] == "Eligible"


def test_missing_education_no_score_but_cec_eligible_in_both_panels(client, world):
    Education.objects.filter(client=world.client_a).delete()
    assert client_recompute(client_id=world.client_a.pk) is None  # a score needs education, CEC does not
    html, eligibility, pathways = _page(client, world)
    assert "No score yet" in html and 'id="eligibility-computed"' in html
    _check_agree(eligibility, pathways, world)
    assert _outcomes(eligibility)["Canadian Experience Class"] == "Eligible"


def test_stored_eligibility_agrees_with_the_assessment(client, world):
    assert client_recompute(client_id=world.client_a.pk) is not None
    stored = Eligibility.objects.get(client=world.client_a, program="cec", version="")
    html, eligibility, pathways = _page(client, world)
    assert 'id="eligibility-computed"' not in html
    _check_agree(eligibility, pathways, world)
    assert stored.outcome == _ee_outcomes(world)["cec"]
