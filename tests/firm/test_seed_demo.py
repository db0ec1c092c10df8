from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from cases.constants import CaseStatus
from cases.models import Case, Document
from firm.models import Client, Firm, Membership

pytestmark = pytest.mark.django_db


@override_settings(PRIVATE_MEDIA_ROOT="/tmp/maplecase-test-private")
def test_seed_demo_is_complete_and_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    firm = Firm.objects.get(slug="maple-demo")
    counts = (
        Client.objects.filter(firm=firm).count(),
        Case.objects.filter(firm=firm).count(),
        Document.objects.filter(firm=firm).count(),
    )
    assert counts[0] == 50
    assert set(Membership.objects.filter(firm=firm).values_list("role", flat=True)) == {
        "admin",
        "lawyer",
        "paralegal",
    }
    assert set(Case.objects.filter(firm=firm).values_list("status", flat=True)) == set(CaseStatus.values)
    assert Document.objects.filter(firm=firm, status="uploaded").exists()
    assert "lawyer@demo.maplecase.test" in out.getvalue()
    from firm.models import User

    admin = User.objects.get(email="admin@demo.maplecase.test")
    assert admin.is_superuser and admin.is_staff  # the printed admin login opens /admin/
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        Client.objects.filter(firm=firm).count(),
        Case.objects.filter(firm=firm).count(),
        Document.objects.filter(firm=firm).count(),
    ) == counts


@override_settings(PRIVATE_MEDIA_ROOT="/tmp/maplecase-test-private")
def test_seed_demo_looks_like_a_practice():
    """Distinct people, coherent histories, cases over two years at every stage, assessments run,
    documents in every state (rejections with a reason), varied deadlines, and flags that agree with the
    bundled rounds."""
    from datetime import timedelta

    from django.db.models import Max, Min

    from cases.constants import DocumentStatus
    from cases.models import Deadline
    from firm.models import WorkExperience
    from pathways.models import PathwayAssessment
    from scoring.models import CRSScore, DrawMatch
    from scoring.selectors.dashboard import clients_clearing

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    firm = Firm.objects.get(slug="maple-demo")
    clients = Client.objects.filter(firm=firm)
    names = list(clients.values_list("first_name", "last_name"))
    assert len(names) == len(set(names)) == 50  # no duplicate people
    for client in clients:
        statuses = set(Case.objects.filter(client=client).values_list("status", flat=True))
        if client.status == "prospect":
            assert statuses <= {"intake", "assessment"}, (client, statuses)
        if client.ee_profile_number:
            assert WorkExperience.objects.filter(client=client).exists(), client
    span = Case.objects.filter(firm=firm).aggregate(first=Min("opened_at"), last=Max("opened_at"))
    assert span["last"] - span["first"] > timedelta(days=540)  # spread over about two years
    assert Case.objects.filter(firm=firm).values("opened_at__date").distinct().count() > 30
    review_states = {
        "requested",
        "uploaded",
        "verified",
        "rejected",
        "expired",
    }  # (not the virus-scan states)
    assert review_states <= set(DocumentStatus.values)
    assert set(Document.objects.filter(firm=firm).values_list("status", flat=True)) >= review_states
    assert not Document.objects.filter(firm=firm, status="rejected", rejection_reason="").exists()
    labels = set(Deadline.objects.filter(case__firm=firm).values_list("label", flat=True))
    assert len(labels) > 20 and "Follow up with client" not in labels
    assessed = PathwayAssessment.objects.filter(firm=firm, is_current=True).values("case").distinct().count()
    assert assessed >= 45
    assert CRSScore.objects.filter(client__firm=firm, is_current=False).exists()  # score histories
    # the dashboard's flags and its chart use the same rule: each match is a client who clears the round
    from firm.scoping import actor_for_user
    from scoring.models import Draw

    admin = Membership.objects.get(firm=firm, role="admin").user
    newest = list(Draw.objects.order_by("-draw_date", "-draw_number")[:4])
    clearing = clients_clearing(actor_for_user(admin), newest, clients.values_list("pk", flat=True))
    for match in DrawMatch.objects.filter(firm=firm, draw__in=newest):
        assert match.draw in clearing.get(match.client_id, []), match
    printed = out.getvalue()
    portal = list(clients.filter(portal_user__isnull=False).values_list("email", flat=True))
    assert len(portal) == 2 and all(email in printed for email in portal)
    readme = (__import__("pathlib").Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert all(email in readme for email in portal)  # the README lists the client logins the seed prints
    assert "syncs from IRCC" in printed
