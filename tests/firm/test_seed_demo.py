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
