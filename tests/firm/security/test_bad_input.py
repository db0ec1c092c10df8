"""Bad input answers 400 naming the field (413 for an oversized body), never a 500, and nothing
impossible is stored: through the API (staff, intake key) and through the staff forms."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from cases.models import Deadline, Note
from firm.models import Client, LanguageTest
from tests.cases.api.test_intake import PAYLOAD
from tests.conftest import Tenants
from tests.fixtures.web import login

pytestmark = pytest.mark.django_db

FUTURE = (date.today() + timedelta(days=30)).isoformat()
IELTS = {
    "test": "ielts",
    "test_date": "2025-09-01",
    "listening": 7,
    "reading": 7,
    "writing": 7,
    "speaking": 7,
}


def error_fields(response: Any) -> set[str]:
    """The error's field paths, and each of their parents (`facts.employer` names `facts` too)."""
    names: set[str] = set()
    for path in response.json()["error"]:
        names.add(path)
        for i, char in enumerate(path):
            if char in ".[":
                names.add(path[:i])
    return names


# --- Query filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/clients/?created_after=2000-01-01T00:00:00%2B16:00", "created_after"),
        ("/api/v1/audit-events/?created_after=2000-01-01T00:00:00-15:30", "created_after"),
        ("/api/v1/clients/?created_after=0001-01-01T00:00:00%2B14:00", "created_after"),
        ("/api/v1/clients/?q=a%00b", "q"),
        ("/api/v1/audit-events/?action=%00", "action"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(tenants: Tenants, api: Any, url: str, field: str) -> None:
    response = api(tenants.a.admin).get(url)
    assert response.status_code == 400, response.content
    assert field in error_fields(response)


def test_offsets_postgresql_accepts_are_normalised(tenants: Tenants, api: Any) -> None:
    response = api(tenants.a.admin).get("/api/v1/clients/?created_after=2000-01-01T00:00:00%2B13:45")
    assert response.status_code == 200 and response.json()["count"] >= 1


# --- Bodies: NUL characters, nesting, size, list and text caps ----------------------------------------


def _client_url(t: Tenants) -> str:
    return f"/api/v1/clients/{t.a.client.pk}/"


BAD_BODIES: list[tuple[str, str, Any, str]] = [
    # (method, url builder key, body, field named in the error)
    ("post", "notes", {"text": "a\x00b"}, "text"),
    ("patch", "client", {"first_name": "Ann\x00"}, "first_name"),
    ("patch", "case", {"facts": {"employer": "Acme\x00"}}, "facts.employer"),
    ("patch", "case", {"facts": {"k\x00": 1}}, "facts"),
    ("post", "notes", {"text": "x" * 200_000}, "text"),
    ("patch", "case", {"facts": json.loads("[" * 40 + "]" * 40)}, "facts"),
    ("patch", "client", {"date_of_birth": FUTURE}, "date_of_birth"),
    ("patch", "client", {"date_of_birth": "1899-12-31"}, "date_of_birth"),
    ("patch", "client", {"ee_profile_submitted_at": "1894-12-31T18:42:28-05:00"}, "ee_profile_submitted_at"),
    ("patch", "client", {"ee_profile_submitted_at": f"{FUTURE}T10:00:00Z"}, "ee_profile_submitted_at"),
    ("patch", "client", {"ee_profile_expires_on": "2101-01-01"}, "ee_profile_expires_on"),
    (
        "patch",
        "client",
        {"ee_profile_submitted_at": "2025-06-01T10:00:00Z", "ee_profile_expires_on": "2025-05-01"},
        "ee_profile_expires_on",
    ),
    ("post", "language-tests", {**IELTS, "listening": -5}, "listening"),
    ("post", "language-tests", {**IELTS, "reading": 10.5}, "reading"),
    ("post", "language-tests", {**IELTS, "writing": 7.3}, "writing"),
    ("post", "language-tests", {**IELTS, "test_date": FUTURE}, "test_date"),
    ("post", "language-tests", {**IELTS, "test": "celpip", "speaking": 12.5}, "speaking"),
    ("post", "language-tests", {**IELTS, "test": "celpip", "speaking": 13}, "speaking"),
    ("post", "language-tests", {**IELTS, "test": "pte_core", "listening": 95}, "listening"),
    (
        "post",
        "language-tests",
        {**IELTS, "test": "tef", "test_date": "2025-01-10", "reading": 700},
        "reading",
    ),
    ("post", "language-tests", {**IELTS, "test": "tcf", "writing": 21}, "writing"),
    ("post", "deadlines", {"kind": "manual", "label": "x", "due_on": "1899-01-01"}, "due_on"),
    ("post", "deadlines", {"kind": "manual", "label": "x", "due_on": "2101-01-01"}, "due_on"),
    (
        "post",
        "nominations",
        {"province": "ON", "nominated_on": "2025-01-01", "expires_on": "2101-01-01"},
        "expires_on",
    ),
    ("post", "nominations", {"province": "ON", "nominated_on": FUTURE}, "nominated_on"),
]


def _url(t: Tenants, key: str) -> str:
    return {
        "notes": "/api/v1/notes/",
        "client": _client_url(t),
        "case": f"/api/v1/cases/{t.a.case.pk}/",
        "language-tests": f"/api/v1/clients/{t.a.client.pk}/language-tests/",
        "nominations": f"/api/v1/clients/{t.a.client.pk}/nominations/",
        "deadlines": "/api/v1/deadlines/",
    }[key]


@pytest.mark.parametrize(
    "method, key, body, field", BAD_BODIES, ids=[f"{k}-{f}-{i}" for i, (_, k, _, f) in enumerate(BAD_BODIES)]
)
def test_bad_bodies_are_a_400_naming_the_field(
    tenants: Tenants, api: Any, method: str, key: str, body: Any, field: str
) -> None:
    if key in ("notes", "deadlines"):
        body = {**body, "case": tenants.a.case.pk}
    before = (
        Client.objects.get(pk=tenants.a.client.pk).__dict__.copy(),
        LanguageTest.objects.count(),
        Note.objects.count(),
        Deadline.objects.count(),
    )
    response = getattr(api(tenants.a.admin), method)(_url(tenants, key), body, format="json")
    assert response.status_code == 400, response.content[:500]
    assert field in error_fields(response), response.json()
    after_client = Client.objects.get(pk=tenants.a.client.pk).__dict__
    assert {k: v for k, v in after_client.items() if not k.startswith("_")} == {
        k: v for k, v in before[0].items() if not k.startswith("_")
    }
    assert (LanguageTest.objects.count(), Note.objects.count(), Deadline.objects.count()) == before[1:]


def test_json_nested_100000_deep_is_a_400(tenants: Tenants, api: Any) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = api(tenants.a.admin).generic(
        "POST", "/api/v1/crs/score", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested" in json.dumps(response.json()).lower()


@pytest.mark.parametrize(
    "url, size",
    [("/api/v1/crs/score", 30 * 1024 * 1024), ("/api/v1/auth/token", 20 * 1024 * 1024)],
)
def test_oversized_json_bodies_are_a_413_before_parsing(tenants: Tenants, url: str, size: int) -> None:
    if url.endswith("token"):
        body = json.dumps({"email": tenants.a.lawyer.email, "password": "p" * size})
        client = APIClient()
    else:
        body = json.dumps({"profile": {"note": "x" * size}})
        client = APIClient()
        client.force_login(tenants.a.admin)
    response = client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 413
    assert "body" in response.json()["error"]


def test_the_body_cap_is_configurable(tenants: Tenants, api: Any, settings: Any) -> None:
    settings.REQUEST_BODY_MAX_BYTES = 200
    response = api(tenants.a.admin).post(
        "/api/v1/notes/", {"case": tenants.a.case.pk, "text": "x" * 300}, format="json"
    )
    assert response.status_code == 413


# --- Intake --------------------------------------------------------------------------------------------


def _intake(**changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(PAYLOAD)
    for path, value in changes.items():
        target = payload
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return payload


INTAKE_CASES = [
    ({"language_tests": [IELTS] * 11}, "language_tests"),
    ({"work_history": [PAYLOAD["work_history"][0]] * 31}, "work_history"),
    ({"identity__date_of_birth": FUTURE}, "identity.date_of_birth"),
    ({"identity__date_of_birth": "1850-01-01"}, "identity.date_of_birth"),
    ({"identity__first_name": "A\x00"}, "identity.first_name"),
    ({"language_tests__0__listening": -5}, "language_tests[0].listening"),
    ({"language_tests__0__reading": 10.5}, "language_tests[0].reading"),
    ({"language_tests__0__test_date": FUTURE}, "language_tests[0].test_date"),
    ({"spouse__language_tests__0__speaking": 13}, "spouse.language_tests[0].speaking"),
    ({"source": "x" * 61}, "source"),
]


@pytest.mark.parametrize("changes, field", INTAKE_CASES, ids=[f for _, f in INTAKE_CASES])
def test_intake_refuses_impossible_input(tenants: Tenants, api: Any, changes: dict, field: str) -> None:
    clients = Client.objects.count()
    response = api(tenants.a.api_key_raw).post("/api/v1/intake/", _intake(**changes), format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in error_fields(response), response.json()
    assert Client.objects.count() == clients


# --- The staff forms -----------------------------------------------------------------------------------


FORM_CASES = [
    ("client-edit", {"date_of_birth": FUTURE}, "date_of_birth"),
    ("client-edit", {"date_of_birth": "1899-01-01"}, "date_of_birth"),
    ("client-edit", {"first_name": "A\x00"}, "first_name"),
    (
        "client-edit",
        {"ee_profile_submitted_at": "2025-06-01T10:00", "ee_profile_expires_on": "2025-05-01"},
        "ee_profile_expires_on",
    ),
    ("language-test", {"listening": "10.5"}, "listening"),
    ("language-test", {"reading": "-5"}, "reading"),
    ("language-test", {"test_date": FUTURE}, "test_date"),
    ("language-test", {"test": "celpip", "speaking": "12.5"}, "speaking"),
    ("note", {"note-text": "x" * 200_000}, "text"),
    ("deadline", {"deadline-due_on": "2101-01-01"}, "due_on"),
]


def _form_post(client: Any, t: Tenants, kind: str, changes: dict[str, str]) -> Any:
    c = t.a.client
    if kind == "client-edit":
        data = {
            "first_name": c.first_name,
            "last_name": c.last_name,
            "marital_status": c.marital_status,
            "status": c.status,
            "preferred_language": c.preferred_language,
            **changes,
        }
        return client.post(f"/clients/{c.pk}/edit/", data)
    if kind == "language-test":
        data = {
            "person": "principal",
            "test": "ielts",
            "test_date": "2025-09-01",
            "role": "first",
            "listening": "7",
            "reading": "7",
            "writing": "7",
            "speaking": "7",
            **changes,
        }
        return client.post(f"/clients/{c.pk}/facts/language_test/new/", data)
    if kind == "note":
        return client.post(f"/cases/{t.a.case.pk}/notes/new/", changes)
    return client.post(
        f"/cases/{t.a.case.pk}/deadlines/new/", {"deadline-label": "x", "deadline-kind": "manual", **changes}
    )


def _form_errors(response: Any) -> set[str]:
    """Fields with errors in the page's forms (rendered) or in the messages shown after a redirect."""
    fields: set[str] = set()
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            errors = getattr(value, "errors", None)
            if isinstance(errors, dict):
                fields.update(errors)
    return fields


@pytest.mark.parametrize("kind, changes, field", FORM_CASES, ids=[f"{k}-{f}" for k, _, f in FORM_CASES])
def test_staff_forms_refuse_impossible_input(
    client: Any, tenants: Tenants, kind: str, changes: dict, field: str
) -> None:
    login(client, tenants.a.lawyer)
    counts = (LanguageTest.objects.count(), Note.objects.count(), Deadline.objects.count())
    dob = Client.objects.get(pk=tenants.a.client.pk).date_of_birth
    response = _form_post(client, tenants, kind, changes)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:  # pages that redirect with a message (notes, deadlines)
        response = client.get(response["Location"])
    assert field in _form_errors(response), response.content.decode()[:3000]
    assert response.status_code != 500
    assert (LanguageTest.objects.count(), Note.objects.count(), Deadline.objects.count()) == counts
    assert Client.objects.get(pk=tenants.a.client.pk).date_of_birth == dob
