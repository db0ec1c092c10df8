"""Pages a lawyer and a client can trust: words instead of codes, explained numbers, real error pages."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, Document
from pathways.models import PathwayAssessment
from tests.fixtures.web import login, make_case, make_draw, make_score

pytestmark = pytest.mark.django_db


def _assessment(case, pathway: str, stream: str, criteria: list[dict], versions: dict | None = None):
    return PathwayAssessment.objects.create(
        firm=case.firm,
        case=case,
        client=case.client,
        pathway=pathway,
        stream=stream,
        outcome="eligible",
        criteria=criteria,
        rule_versions=versions or {},
        inputs={},
        inputs_hash="x",
        result_hash=f"{pathway}{stream}",
        as_of=date.today(),
        is_current=True,
    )


def test_case_and_client_pages_name_codes_in_words(client, world):
    case = world.case_a
    case.pathway, case.stream = "cusma_professional", "T36"
    case.save()
    _assessment(
        case,
        "express_entry",
        "cec",
        [{"key": "outside_quebec", "label": "Canadian Experience Class: outside quebec", "status": "met"}],
        {"ee_categories": "2025-v2"},
    )
    _assessment(case, "aaip", "accelerated_tech_pathway", [])
    Deadline.objects.create(
        case=case, kind="manual", label="Call IRCC", due_on=date.today(), source_rule="seed"
    )
    login(client, world.lawyer_a)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    for raw in (
        "EXPRESS_ENTRY",
        "CUSMA_PROFESSIONAL",
        "AAIP accelerated_tech_pathway",
        "· seed",
        "Outside quebec",
    ):
        assert raw not in html, raw
    assert "Express Entry · Canadian Experience Class" in html
    assert "CUSMA professional · Work permit exemption code T36" in html
    assert "Alberta Advantage Immigration Program · Accelerated Tech Pathway" in html
    assert "Plans to live outside Quebec" in html and "Set by the firm" in html
    assert 'name="dl-kind"' in html and 'type="hidden" name="dl-kind"' in html  # no "Kind: manual" question


def test_rule_set_and_retired_category_lists_are_named(client, world):
    from scoring.models import Eligibility

    make_score(world.client_a, 480, date.today())
    for version, category in (("2023-v1", "stem"), ("2026", "stem")):
        Eligibility.objects.create(
            firm=world.firm_a,
            client=world.client_a,
            program=category,
            version=version,
            outcome="not_eligible",
            as_of=date.today(),
            criteria=[],
        )
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[world.client_a.pk])).content.decode()
    assert "crs-2025-03-25" not in html and "CRS rules in force since" in html
    assert "STEM 2023-v1" not in html and "2023-v1" not in html
    assert "retired: replaced on" in html and "Category list in force since" in html
    assert "STEM occupations" in html
    login(client, world.client_a.portal_user)
    portal = client.get(reverse("portal-score")).content.decode()
    assert "crs-2025-03-25" not in portal and "CRS rules in force since" in portal


def test_client_form_labels_are_words_and_citizenship_is_searchable(client, world):
    login(client, world.lawyer_a)
    html = client.get(reverse("client-edit", args=[world.client_a.pk])).content.decode()
    for generated in ("Spouse canadian", "Ee profile submitted at", "Certificate trade"):
        assert generated not in html, generated
    assert "Spouse or partner is a Canadian citizen or PR" in html
    assert "Express Entry profile submitted on" in html and "Trade of the certificate" in html
    select = html[html.index('name="citizenships"') - 200 : html.index('name="citizenships"') + 200]
    assert "data-searchable" in select and 'size="6"' in select
    assert "/static/js/app.js" in html and "<script>" not in html  # local file, no inline code (CSP)
    french = client.get(reverse("client-edit", args=[world.client_a.pk]) + "?language=fr").content.decode()
    assert "Profil Entrée express soumis le" in french and "Métier du certificat" in french
    from django.contrib.staticfiles import finders

    with open(finders.find("js/app.js"), encoding="utf-8") as fh:
        script = fh.read()
    assert "data-searchable" in script and "http" not in script  # no CDN


def test_next_change_says_what_changes_and_why(client, world):
    from firm.models import LanguageTest

    LanguageTest.objects.filter(client=world.client_a).delete()
    test_day = date.today() - timedelta(days=400)
    LanguageTest.objects.create(
        client=world.client_a, test="ielts", test_date=test_day, listening=8, reading=7, writing=7, speaking=7
    )
    from scoring.services.scores import client_recompute

    score = client_recompute(client_id=world.client_a.pk)
    assert score is not None and score.next_change_on is not None
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[world.client_a.pk])).content.decode()
    line = html[html.index('id="next-change"') : html.index("</div>", html.index('id="next-change"'))]
    assert "Changes by itself on" not in html
    assert score.next_change_on.strftime("%Y-%m-%d") in line and "the score becomes" in line
    # the reason is named: a birthday, a result expiring, or a year of work completed
    assert any(word in line for word in ("birthday", "IELTS result", "work experience", "year of"))
    assert "→" in line  # the breakdown rows that change, with their points before and after


def test_client_page_explains_the_spouse(client, world):
    c = world.client_a
    c.marital_status, c.spouse_name, c.spouse_accompanying, c.spouse_canadian = "married", "Rui", False, False
    c.save()
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[c.pk])).content.decode()
    spouse = html[html.index('id="client-spouse"') : html.index("</dd>", html.index('id="client-spouse"'))]
    assert (
        "Comes to Canada: <strong>no</strong>" in spouse
        and "Canadian citizen or PR: <strong>no</strong>" in spouse
    )
    assert "no spouse points" in spouse
    c.spouse_accompanying = True
    c.save()
    html = client.get(reverse("client-detail", args=[c.pk])).content.decode()
    assert "Scored as a couple" in html


@pytest.mark.parametrize(("on", "shown"), [(date(2025, 3, 24), True), (date(2025, 3, 25), False)])
def test_arranged_employment_only_while_it_scored(client, world, on, shown):
    from scoring.models import CRSScore

    score = make_score(world.client_a, 480, on)
    CRSScore.objects.filter(pk=score.pk).update(breakdown={**score.breakdown, "additional.job_offer": 0})
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[world.client_a.pk])).content.decode()
    assert ("Arranged employment" in html) is shown


def test_forbidden_page_favicon_and_no_traceback(client, world, caplog):
    login(client, world.paralegal_a)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        r = client.get(reverse("firm-admin"))
    assert r.status_code == 403
    html = r.content.decode()
    assert "You are not allowed to see this page" in html and "ask your firm" in html and len(html) > 1000
    forbidden = [rec for rec in caplog.records if getattr(rec, "status_code", None) == 403]
    assert forbidden and all(rec.exc_info is None for rec in forbidden)
    assert 'rel="icon"' in html
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302 and icon["Location"].endswith("favicon.svg")


def test_form_error_keeps_a_reloadable_address(client, world):
    login(client, world.lawyer_a)
    doc = world.doc_a_file
    r = client.post(reverse("document-review", args=[doc.pk]), {"decision": "reject", "reason": ""})
    assert r.status_code == 400
    case_url = reverse("case-detail", args=[doc.case_id])
    assert f'data-canonical-url="{case_url}"' in r.content.decode()
    again = client.get(reverse("document-review", args=[doc.pk]))  # a reload / the address typed in
    assert again.status_code == 405 and again.content
    assert f'href="{case_url}"' in again.content.decode() and "only receives forms" in again.content.decode()
    login(client, world.admin_a)
    settings_page = client.get(reverse("firm-settings"))
    assert settings_page.status_code == 405 and 'href="/firm/"' in settings_page.content.decode()


def test_invalid_caseload_filter_says_so(client, world):
    login(client, world.lawyer_a)
    html = client.get(reverse("home") + "?status=bogus").content.decode()
    assert 'id="filter-errors"' in html and "This filter is not valid" in html and "Status:" in html
    assert 'id="filter-errors"' not in client.get(reverse("home") + "?status=documents").content.decode()


def test_portal_in_french_has_no_repeated_or_english_labels(client, world):
    Deadline.objects.create(
        case=world.case_a, kind="follow_up", label="Follow up with client", due_on=date.today()
    )
    Document.objects.create(
        firm=world.firm_a, case=world.case_a, kind="eca", label="Educational credential assessment"
    )
    world.client_a.preferred_language = "fr"
    world.client_a.save()
    make_score(world.client_a, 470, date.today())
    login(client, world.client_a.portal_user)
    case_html = client.get(reverse("portal-case", args=[world.case_a.pk])).content.decode()
    assert "Passeport — Passport" not in case_html and "Passeport" in case_html
    assert "Educational credential assessment" not in case_html
    assert "Follow up with client" not in case_html  # the firm's own task
    home = client.get(reverse("home")).content.decode()
    assert "Follow up with client" not in home and "Accueil" not in home
    score = client.get(reverse("portal-score")).content.decode()
    assert "Take a French test" not in score and "in all four abilities" not in score
    assert "dans les quatre habiletés" in score or "Obtenir" in score


def test_french_words_for_intake_and_a_rejected_document(client, world):
    from django.utils import translation

    from cases.constants import CaseStatus, DocumentStatus

    with translation.override("fr"):
        assert str(CaseStatus.INTAKE.label) != "Accueil"
        assert str(DocumentStatus.REJECTED.label) != str(CaseStatus.REFUSED.label)


def test_dashboard_says_how_fresh_the_draws_are(client, world):
    from scoring.models import DrawFeedSync

    make_draw("300", date(2024, 7, 4), 436, category="trades")
    login(client, world.lawyer_a)
    html = client.get(reverse("home")).content.decode()
    assert "Newest round on file: 2024-07-04" in html and "never been synced" in html
    DrawFeedSync.objects.create(source="snapshot", from_snapshot=True, finished_at=timezone.now())
    html = client.get(reverse("home")).content.decode()
    assert "sample bundled with MapleCase" in html and "synced from IRCC" in html
    DrawFeedSync.objects.all().delete()
    DrawFeedSync.objects.create(source="feed", finished_at=timezone.now() - timedelta(minutes=5))
    html = client.get(reverse("home")).content.decode()
    assert "Synced from IRCC" in html and "older than the sync schedule" not in html
    DrawFeedSync.objects.all().delete()
    DrawFeedSync.objects.create(source="feed", finished_at=timezone.now() - timedelta(hours=5))
    html = client.get(reverse("home")).content.decode()
    limit = django_settings.DRAW_FEED_STALE_AFTER_MINUTES  # three 5-minute polls by default
    assert f"older than the sync schedule allows ({limit} minutes)" in html


def test_dashboard_colours_a_client_by_rounds_they_are_eligible_for(client, world):
    from firm.web import charts
    from scoring.models import Eligibility

    make_score(world.client_a, 480, date.today())
    make_score(world.client_a2, 470, date.today())
    make_draw("300", date.today() - timedelta(days=2), 436, category="trades")
    make_draw("299", date.today() - timedelta(days=5), 460, category="cec")
    Eligibility.objects.create(
        firm=world.firm_a,
        client=world.client_a2,
        program="cec",
        version="",
        outcome="eligible",
        as_of=date.today(),
    )
    login(client, world.lawyer_a)
    html = client.get(reverse("home")).content.decode()
    import re

    chart = html[html.index("<svg", html.index('id="chart-h"')) :]
    bars = {
        m[2]: (m[1], m[3])
        for m in re.finditer(r'<rect [^>]*fill="([^"]+)"><title>([^:<]+): (.*?)</title>', chart)
    }
    ana = " ".join(bars["Ana Silva"])
    bo = " ".join(bars["Bo Chen"])
    assert charts.PALETTE["bar"] in ana  # above the Trades cut-off, but not in trades
    assert charts.PALETTE["bar_clear"] in bo and "#299" in bo


def test_dashboard_draws_a_distribution_past_the_top_clients(client, world):
    from cases.models import Case
    from tests.fixtures.web import make_client

    for i in range(18):
        c = make_client(world.firm_a, world.lawyer_a, f"P{i}", "Many")
        make_case(c)
        make_score(c, 400 + i * 5, date.today())
    login(client, world.lawyer_a)
    html = client.get(reverse("home")).content.decode()
    assert 'class="band"' in html and 'id="chart-top"' in html
    chart = html[html.index("<svg", html.index('id="chart-top"')) :]
    assert chart[: chart.index("</svg>")].count("<rect") == 15  # the top 15 by name, not one bar per client
    assert Case.objects.filter(firm=world.firm_a).count() > 15


def test_score_history_with_one_score_shows_the_periods_draws(client, world):
    make_score(world.client_a, 480, date.today() - timedelta(days=10))
    make_draw("350", date.today() - timedelta(days=100), 470)
    make_draw("351", date.today() - timedelta(days=40), 475)
    login(client, world.lawyer_a)
    html = client.get(reverse("client-detail", args=[world.client_a.pk])).content.decode()
    assert html.count('class="draw"') == 2 and "2 draws from" in html


def test_portal_file_inputs_offer_camera_and_files(client, world):
    login(client, world.client_a.portal_user)
    html = client.get(reverse("portal-case", args=[world.case_a.pk])).content.decode()
    assert 'type="file"' in html and "capture=" not in html and "image/*" in html and ".pdf" in html
