"""REST: GET clients/{id}/outlook and me/outlook (scoping, shape, caveat) and the stored outlook."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.models import ClientOutlook
from scoring.services.draws import draws_sync
from scoring.services.outlook import outlooks_recompute
from scoring.services.scores import client_recompute

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
AS_OF = date(2024, 7, 4)


@pytest.fixture
def computed(tenants):
    draws_sync(snapshot=True, flag="none")
    for t in (tenants.a, tenants.b):
        client_recompute(client_id=t.client.pk)
    assert outlooks_recompute(as_of=AS_OF) >= 2
    return tenants


def test_stored_outlook_matches_the_engine(computed):
    from scoring.outlook import fit, kinds_open_to
    from scoring.selectors.outlook import outlook_rounds

    row = ClientOutlook.objects.get(client=computed.a.client)
    model = fit(outlook_rounds(AS_OF)[0], AS_OF)
    expected = model.probabilities(
        row.score,
        kinds_open_to(row.eligible_for),
        tie=model.tie_counts(computed.a.client.ee_profile_submitted_at),
    )
    assert (row.p_90, row.p_180, row.p_365) == tuple(round(v, 4) for v in expected)
    assert row.p_90 <= row.p_180 <= row.p_365
    assert row.pool_percentile is not None and 0 <= row.pool_percentile <= 100
    assert row.distribution_as_of is not None and row.distribution_as_of <= AS_OF
    # the pool's movement: the same score in the distribution at least 90 days older
    previous = model.previous_pool_rank(row.score)
    assert row.previous_distribution_as_of == previous.distribution_as_of
    assert (AS_OF - row.previous_distribution_as_of).days >= 90
    assert row.candidates_above_before == previous.candidates_above


def test_staff_sees_own_firm_client_outlook(api, computed):
    a = computed.a
    r = api(a.lawyer).get(f"/api/v1/clients/{a.client.pk}/outlook/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["client"] == a.client.pk
    assert [h["days"] for h in body["horizons"]] == [90, 180, 365]
    assert body["p_90"] == body["horizons"][0]["probability"]
    assert "IRCC" in body["caveat"]
    assert set(body["rank"]) == {
        "candidates_above",
        "pool_size",
        "percentile",
        "distribution_as_of",
        "candidates_above_before",
        "previous_distribution_as_of",
    }
    for line in body["whatif"]:
        assert line["p_365"] >= line["p_180"] >= line["p_90"] >= 0
        assert line["new_total"] >= body["score"]
    if "pnp" not in body["eligible_for"]:
        nomination = next(line for line in body["whatif"] if line["key"] == "provincial_nomination")
        assert nomination["opens"] == "pnp"
        assert nomination["p_365"] >= body["p_365"]
    for line in body["whatif"]:
        if line["key"].startswith("second_language.nclc_"):
            assert line["opens"] == "french"


def test_other_firm_client_is_404(api, computed):
    r = api(computed.a.lawyer).get(f"/api/v1/clients/{computed.b.client.pk}/outlook/")
    assert r.status_code == 404


def test_api_key_reads_own_firm(api, computed):
    a = computed.a
    assert api(a.api_key_raw).get(f"/api/v1/clients/{a.client.pk}/outlook/").status_code == 200
    assert api(a.api_key_raw).get(f"/api/v1/clients/{computed.b.client.pk}/outlook/").status_code == 404


def test_me_outlook_is_the_clients_own(api, computed):
    a = computed.a
    r = api(a.portal_user).get("/api/v1/me/outlook/")
    assert r.status_code == 200
    assert r.json()["client"] == a.client.pk
    assert api(a.lawyer).get("/api/v1/me/outlook/").status_code == 403
    assert api().get("/api/v1/me/outlook/").status_code in (401, 403)


def test_404_before_computed(api, tenants):
    assert api(tenants.a.lawyer).get(f"/api/v1/clients/{tenants.a.client.pk}/outlook/").status_code == 404
    assert api(tenants.a.portal_user).get("/api/v1/me/outlook/").status_code == 404


def test_in_openapi_schema(api, tenants):
    r = api(tenants.a.lawyer).get("/api/schema/")
    text = r.content.decode()
    assert "/api/v1/clients/{client_id}/outlook/" in text or "/api/v1/clients/{client_id}/outlook" in text
    assert "/api/v1/me/outlook" in text


def test_recomputed_after_a_score_change_and_after_new_rounds(tenants, django_capture_on_commit_callbacks):
    client = tenants.a.client
    with django_capture_on_commit_callbacks(execute=True):
        client_recompute(client_id=client.pk)
    row = ClientOutlook.objects.get(client=client)  # the score change enqueued the recompute
    from scoring.models import CRSScore

    assert row.score == CRSScore.objects.get(client=client, is_current=True).total
    before = row.computed_at
    with django_capture_on_commit_callbacks(execute=True):
        draws_sync(snapshot=True, flag="none")  # new rounds: every outlook again
    row.refresh_from_db()
    assert row.computed_at > before
