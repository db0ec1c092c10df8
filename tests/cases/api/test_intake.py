"""POST /api/v1/intake/: one payload -> client, facts, case; idempotent; all-or-nothing; every bad field named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cases.models import Case
from firm.models import Client, IdempotencyRecord, LanguageTest, WorkExperience
from tests.conftest import Tenants
from tests.factories import api_key_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/intake/"

PAYLOAD: dict[str, Any] = {
    "identity": {
        "first_name": "Priya",
        "last_name": "Sharma",
        "date_of_birth": "1994-03-02",
        "citizenships": ["IN"],
        "country_of_residence": "IN",
    },
    "contact": {"email": "priya@example.test", "phone": "+91 555 0100", "preferred_language": "en"},
    "marital_status": "married",
    "spouse": {
        "name": "Arjun Sharma",
        "accompanying": True,
        "language_tests": [
            {
                "test": "celpip",
                "test_date": "2025-10-01",
                "listening": 7,
                "reading": 7,
                "writing": 7,
                "speaking": 7,
            }
        ],
        "education": [{"level": "bachelors", "country": "IN", "completed_on": "2016-06-01"}],
        "work_history": [],
    },
    "language_tests": [
        {
            "test": "ielts",
            "test_date": "2025-09-01",
            "listening": 8.5,
            "reading": 7.5,
            "writing": 7,
            "speaking": 7,
        }
    ],
    "education": [
        {
            "level": "masters",
            "country": "IN",
            "completed_on": "2018-05-01",
            "eca_issuer": "wes",
            "eca_date": "2025-01-10",
        }
    ],
    "work_history": [
        {
            "noc_code": "21231",
            "teer": 1,
            "employer": "Infy",
            "country": "IN",
            "start_date": "2018-07-01",
            "end_date": "2022-06-30",
        },
        {
            "noc_code": "21231",
            "teer": 1,
            "employer": "Maple",
            "country": "CA",
            "in_canada": True,
            "province": "ON",
            "start_date": "2022-08-01",
        },
    ],
    "job_offer": None,
    "nomination": {"province": "ON", "stream": "Human Capital Priorities", "nominated_on": "2025-11-01"},
    "pathway": "express_entry",
    "source": "website",
    "settlement_funds_cad": "24000.00",
    "intended_province": "ON",
}


@pytest.fixture
def intake_key(tenants: Tenants) -> str:
    return api_key_for(tenants.a.firm, scopes=["intake"])[1]


def test_intake_creates_prospect_facts_and_case(
    tenants: Tenants, api: Any, intake_key: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api(intake_key).post(URL, PAYLOAD, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    client = Client.objects.get(pk=body["client_id"])
    assert client.firm == tenants.a.firm and client.status == "prospect"
    assert client.spouse_name == "Arjun Sharma" and client.spouse_accompanying
    assert (client.settlement_funds_cad, client.intended_province) == (24000, "ON")
    assert LanguageTest.objects.filter(client=client, person="spouse").count() == 1
    assert WorkExperience.objects.filter(client=client).count() == 2
    case = Case.objects.get(pk=body["case_id"])
    assert case.client == client and case.pathway == "express_entry"
    assert body["links"]["client"] == f"/api/v1/clients/{client.pk}"
    assert "crs_score" in body  # computed after commit when the scoring app stores scores
    assert callbacks, "the recompute and the assessments are scheduled after commit"


def test_intake_needs_the_intake_scope(tenants: Tenants, api: Any) -> None:
    read_key = api_key_for(tenants.a.firm, scopes=["read"])[1]
    assert api(read_key).post(URL, PAYLOAD, format="json").status_code == 403
    assert api().post(URL, PAYLOAD, format="json").status_code == 401
    assert api(tenants.a.portal_user).post(URL, PAYLOAD, format="json").status_code == 403


def test_idempotency_key_replays_the_first_answer(tenants: Tenants, api: Any, intake_key: str) -> None:
    client = api(intake_key)
    first = client.post(URL, PAYLOAD, format="json", HTTP_IDEMPOTENCY_KEY="form-123")
    assert first.status_code == 201
    clients_before = Client.objects.count()
    again = client.post(URL, copy.deepcopy(PAYLOAD), format="json", HTTP_IDEMPOTENCY_KEY="form-123")
    assert again.status_code == first.status_code
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Client.objects.count() == clients_before
    assert IdempotencyRecord.objects.filter(firm=tenants.a.firm, key="form-123").count() == 1


def test_same_key_with_another_payload_is_refused(tenants: Tenants, api: Any, intake_key: str) -> None:
    client = api(intake_key)
    assert client.post(URL, PAYLOAD, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    other = copy.deepcopy(PAYLOAD)
    other["identity"]["first_name"] = "Someone else"
    response = client.post(URL, other, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]


def test_idempotency_keys_are_per_firm(tenants: Tenants, api: Any, intake_key: str) -> None:
    key_b = api_key_for(tenants.b.firm, scopes=["intake"])[1]
    a = api(intake_key).post(URL, PAYLOAD, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    b = api(key_b).post(URL, PAYLOAD, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert a.status_code == b.status_code == 201
    assert a.json()["client_id"] != b.json()["client_id"]
    assert Client.objects.get(pk=b.json()["client_id"]).firm == tenants.b.firm


def test_invalid_payload_names_every_bad_field_and_stores_nothing(
    tenants: Tenants, api: Any, intake_key: str
) -> None:
    bad = copy.deepcopy(PAYLOAD)
    bad["identity"]["first_name"] = ""
    bad["contact"]["email"] = "not-an-email"
    bad["language_tests"][0]["listening"] = "loud"
    bad["work_history"][1].pop("start_date")
    bad["work_history"][0]["noc_code"] = "12"
    bad["spouse"]["education"][0]["level"] = "kindergarten"
    bad["nomination"]["province"] = "XX"
    bad["pathway"] = "moon"
    counts = (Client.objects.count(), Case.objects.count(), LanguageTest.objects.count())
    response = api(intake_key).post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="bad-1")
    assert response.status_code == 400
    errors = response.json()["error"]
    for path in (
        "identity.first_name",
        "contact.email",
        "language_tests[0].listening",
        "work_history[1].start_date",
        "work_history[0].noc_code",
        "spouse.education[0].level",
        "nomination.province",
        "pathway",
    ):
        assert path in errors, (path, errors)
    assert (Client.objects.count(), Case.objects.count(), LanguageTest.objects.count()) == counts
    assert not IdempotencyRecord.objects.filter(key="bad-1").exists()


def test_end_before_start_is_reported_with_its_path(api: Any, intake_key: str) -> None:
    bad = copy.deepcopy(PAYLOAD)
    bad["work_history"][0]["end_date"] = "2010-01-01"
    response = api(intake_key).post(URL, bad, format="json")
    assert response.status_code == 400
    assert "work_history[0].end_date" in response.json()["error"]


def test_a_failure_midway_stores_nothing(
    tenants: Tenants, api: Any, intake_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cases.intake

    def broken_case_create(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(cases.intake, "case_create", broken_case_create)
    counts = (
        Client.objects.count(),
        Case.objects.count(),
        LanguageTest.objects.count(),
        WorkExperience.objects.count(),
    )
    client = api(intake_key)
    client.raise_request_exception = False
    response = client.post(URL, PAYLOAD, format="json", HTTP_IDEMPOTENCY_KEY="midway")
    assert response.status_code == 500
    assert (
        Client.objects.count(),
        Case.objects.count(),
        LanguageTest.objects.count(),
        WorkExperience.objects.count(),
    ) == counts
    assert not IdempotencyRecord.objects.filter(key="midway").exists()


def test_model_level_error_inside_the_transaction_is_a_400_and_rolls_back(api: Any, intake_key: str) -> None:
    bad = copy.deepcopy(PAYLOAD)
    bad["language_tests"][0]["registration_number"] = "x" * 61  # serializer checks length too
    response = api(intake_key).post(URL, bad, format="json")
    assert response.status_code == 400
    assert "language_tests[0].registration_number" in response.json()["error"]


def test_negative_funds_are_named_and_nothing_is_stored(tenants: Tenants, api: Any, intake_key: str) -> None:
    before = Client.objects.count()
    response = api(intake_key).post(URL, {**PAYLOAD, "settlement_funds_cad": "-5"}, format="json")
    assert response.status_code == 400
    assert "settlement_funds_cad" in response.json()["error"]
    assert Client.objects.count() == before
