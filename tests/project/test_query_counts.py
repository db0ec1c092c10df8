"""Every list endpoint runs the same number of queries for 5 rows as for 50 (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.conftest import Tenants

pytestmark = pytest.mark.django_db


def _populate(tenants: Tenants, n: int) -> None:
    a = tenants.a
    for _ in range(n):
        client = f.PortalClientFactory(firm=a.firm, assigned_lawyer=a.lawyer)
        f.LanguageTestFactory(client=client)
        f.EducationFactory(client=client)
        f.WorkExperienceFactory(client=client)
        f.JobOfferFactory(client=client)
        f.NominationFactory(client=client)
        case = f.CaseFactory(client=client)
        f.with_file(f.DocumentFactory(case=case))
        f.DeadlineFactory(case=case)
        f.NoteFactory(case=case, author=a.lawyer, visible_to_client=True)
        f.MembershipFactory(firm=a.firm, role="paralegal")
        f.api_key_for(a.firm)
    # The client's own lists (/me) grow through more cases of client A.
    for _ in range(n):
        case = f.CaseFactory(client=a.client)
        f.DocumentFactory(case=case)
        f.DeadlineFactory(case=case)
        f.NoteFactory(case=case, author=a.lawyer, visible_to_client=True)
        f.LanguageTestFactory(client=a.client)
        f.EducationFactory(client=a.client)
        f.WorkExperienceFactory(client=a.client)
        f.JobOfferFactory(client=a.client)
        f.NominationFactory(client=a.client)


STAFF_LISTS = [
    "/api/v1/clients/",
    "/api/v1/cases/",
    "/api/v1/documents/",
    "/api/v1/deadlines/",
    "/api/v1/notes/",
    "/api/v1/staff/",
    "/api/v1/api-keys/",
    "/api/v1/audit-events/",
    "/api/v1/clients/{client}/language-tests/",
    "/api/v1/clients/{client}/education/",
    "/api/v1/clients/{client}/work-experience/",
    "/api/v1/clients/{client}/job-offers/",
    "/api/v1/clients/{client}/nominations/",
    "/api/v1/cases/{case}/history/",
]
PORTAL_LISTS = [
    "/api/v1/me/cases/",
    "/api/v1/me/documents/",
    "/api/v1/me/checklist/",
    "/api/v1/me/deadlines/",
    "/api/v1/me/notes/",
]


def _count(client: Any, url: str, page_size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize("path", STAFF_LISTS + PORTAL_LISTS)
def test_list_query_count_does_not_grow_with_page_size(tenants: Tenants, api: Any, path: str) -> None:
    _populate(tenants, 50)
    from firm.scoping import actor_for_user
    from firm.services import audit_record

    for _ in range(50):
        audit_record(actor=actor_for_user(tenants.a.admin), action="probe", obj=tenants.a.client)
    for _ in range(50):
        tenants.a.case.status_changes.create(from_status="intake", to_status="assessment")
    url = path.format(client=tenants.a.client.pk, case=tenants.a.case.pk)
    client = api(tenants.a.portal_user if path.startswith("/api/v1/me") else tenants.a.admin)
    small_queries, small_rows = _count(client, url, 5)
    large_queries, large_rows = _count(client, url, 50)
    assert small_rows == 5 and large_rows == 50, (small_rows, large_rows)
    assert large_queries == small_queries, (
        f"{url}: {small_queries} queries for 5 rows, {large_queries} for 50"
    )
    assert large_queries <= 12, f"{url}: {large_queries} queries"
