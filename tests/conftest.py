"""Shared fixtures for every test package.

- Services: tests marked `postgres` / `redis` / `browser` skip without the service, or fail with the
  reason under REQUIRE_SERVICES=1 (tests/plugins/services.py).
- Test databases get a per-run suffix (`TEST_DB_SUFFIX`, default the process id) so that several test
  runs on one machine (parallel work, CI shards) never drop each other's database; `--reuse-db` keeps
  the plain name.
- Two firms (`tenants.a`, `tenants.b`), each with staff of every role, a client with a portal login and
  profile facts, a case with documents (one with a file), a deadline, an internal and a shared note, and
  an API key with every scope. Firm A's text fields carry the marker "LEAKA" so that a response leaking
  them is easy to catch.
- `api(principal)`: a DRF test client logged in as a user (session), or sending an API key.

Imports of Django code are inside fixtures so pure tests still run with `-p no:django`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest

pytest_plugins = ["tests.plugins.services"]

LEAK_MARKER = "LEAKA"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("reuse_db", default=False):
        return
    from django.conf import settings

    suffix = os.environ.get("TEST_DB_SUFFIX") or f"p{os.getpid()}"
    for db in settings.DATABASES.values():
        test = db.setdefault("TEST", {})
        name = test.get("NAME")
        if db["ENGINE"].endswith("sqlite3"):
            if name and name != ":memory:" and not name.startswith("file:"):
                root, ext = os.path.splitext(name)
                test["NAME"] = f"{root}-{suffix}{ext}"
        else:
            test["NAME"] = f"{name or 'test_' + db['NAME']}_{suffix}"


@pytest.fixture
def private_media(settings: Any, tmp_path: Any) -> Any:
    """Client documents go to a temporary private directory for the test."""
    from django.utils.functional import empty

    from cases.models import private_storage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def firm_a(db: Any) -> Any:
    from tests.factories import FirmFactory

    return FirmFactory(name=f"{LEAK_MARKER} Firm A", slug="firm-a")


@pytest.fixture
def firm_b(db: Any) -> Any:
    from tests.factories import FirmFactory

    return FirmFactory(name="Firm B", slug="firm-b")


@dataclass
class Tenant:
    """One firm's world. Objects are plain model instances."""

    firm: Any
    admin: Any
    lawyer: Any
    paralegal: Any
    client: Any
    portal_user: Any
    case: Any
    document: Any
    document_with_file: Any
    deadline: Any
    note_internal: Any
    note_shared: Any
    api_key: Any
    api_key_raw: str
    facts: dict[str, Any] = field(default_factory=dict)

    def staff(self, role: str) -> Any:
        return {"admin": self.admin, "lawyer": self.lawyer, "paralegal": self.paralegal}[role]

    @property
    def related(self) -> dict[type, Any]:
        """Model -> this firm's row, for building any other tenant model (tests.factories.make_instance)."""
        from cases.models import Case, Deadline, Document, Note
        from firm.models import ApiKey, Client, Firm, Membership, User

        return {
            Membership: self.lawyer.membership,
            ApiKey: self.api_key,
            Firm: self.firm,
            Client: self.client,
            Case: self.case,
            Document: self.document_with_file,
            Deadline: self.deadline,
            Note: self.note_shared,
            User: self.lawyer,
        }


def build_tenant(firm: Any, tag: str, marker: str = "") -> Tenant:
    from tests import factories as f

    m = marker or tag.upper()
    admin = f.staff_user(firm, "admin", email=f"admin-{m.lower()}@{tag}.test", first_name=f"{m}Admin")
    lawyer = f.staff_user(firm, "lawyer", email=f"lawyer-{m.lower()}@{tag}.test", first_name=f"{m}Lawyer")
    paralegal = f.staff_user(
        firm, "paralegal", email=f"paralegal-{m.lower()}@{tag}.test", first_name=f"{m}Para"
    )
    client = f.PortalClientFactory(
        firm=firm,
        first_name=f"{m}First",
        last_name=f"{m}Last",
        email=f"client-{m.lower()}@{tag}.test",
        phone=f"{m}-555",
        assigned_lawyer=lawyer,
        portal_user=f.UserFactory(email=f"portal-{m.lower()}@{tag}.test", first_name=f"{m}Portal"),
    )
    facts = {
        "language_test": f.LanguageTestFactory(client=client, registration_number=f"{m}-REG"),
        "education": f.EducationFactory(client=client, institution=f"{m} University"),
        "work_experience": f.WorkExperienceFactory(client=client, employer=f"{m} Employer"),
        "spouse_language_test": f.LanguageTestFactory(
            client=client, person="spouse", registration_number=f"{m}-SP"
        ),
        "job_offer": f.JobOfferFactory(client=client, employer=f"{m} Offer Inc"),
        "nomination": f.NominationFactory(
            client=client, stream=f"{m} Stream", certificate_number=f"{m}-CERT"
        ),
    }
    case = f.CaseFactory(client=client, title=f"{m} Case", ircc_application_number=f"{m}-IRCC")
    document = f.DocumentFactory(case=case, label=f"{m} requested doc")
    document_with_file = f.with_file(
        f.DocumentFactory(case=case, label=f"{m} uploaded doc"), filename=f"{m}-passport.pdf"
    )
    deadline = f.DeadlineFactory(case=case, label=f"{m} deadline")
    note_internal = f.NoteFactory(case=case, text=f"{m} internal note", author=lawyer)
    note_shared = f.NoteFactory(case=case, text=f"{m} shared note", visible_to_client=True, author=lawyer)
    key, raw = f.api_key_for(firm, scopes=("crs", "intake", "read", "write"), name=f"{m} key")
    return Tenant(
        firm=firm,
        admin=admin,
        lawyer=lawyer,
        paralegal=paralegal,
        client=client,
        portal_user=client.portal_user,
        case=case,
        document=document,
        document_with_file=document_with_file,
        deadline=deadline,
        note_internal=note_internal,
        note_shared=note_shared,
        api_key=key,
        api_key_raw=raw,
        facts=facts,
    )


@dataclass
class Tenants:
    a: Tenant
    b: Tenant


@pytest.fixture
def tenants(firm_a: Any, firm_b: Any, private_media: Any) -> Tenants:
    """Firm A (marked LEAKA) and firm B, fully populated."""
    return Tenants(a=build_tenant(firm_a, "a", LEAK_MARKER), b=build_tenant(firm_b, "b", "BRAVO"))


@pytest.fixture
def api(db: Any) -> Any:
    """`api(user)` -> APIClient logged in (session); `api(raw_key_string)` -> sends the API key;
    `api()` -> anonymous."""
    from rest_framework.test import APIClient

    def make(principal: Any = None, *, token: str | None = None) -> APIClient:
        client = APIClient()
        if isinstance(principal, str):
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {principal}")
        elif principal is not None:
            client.force_login(principal)
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    """Rate-limit counters (django-ratelimit) live in the cache: every test starts with none."""
    try:
        from django.core.cache import cache

        cache.clear()
    except Exception:
        pass
    yield
