"""Stored scores from stored facts: the seed example, history, partial facts, eligibility, next change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from firm.facts import load_snapshots, person_facts
from firm.models import Client, LanguageTest
from firm.scoping import SYSTEM
from firm.services import client_fact_create, client_fact_delete
from scoring.crs.contract import calculate
from scoring.crs.dates import anniversary, next_birthday
from scoring.crs.facts import crs_canadian_work, years_in_window
from scoring.models import CRSScore, Eligibility
from scoring.services.scores import (
    client_recompute,
    recompute_clients,
    scores_recompute_all,
    scores_recompute_due,
)

from .conftest import celpip, foreign_degree, recent, seed_client, work

pytestmark = pytest.mark.django_db


# --- The seed example from stored facts -----------------------------------------------------------------


def test_seed_example_475_on_2023_07_01(world):
    client = seed_client(world.firm, dob=date(1985, 1, 1), test_date=date(2023, 3, 1))
    score = client_recompute(client_id=client.pk, as_of=date(2023, 7, 1))
    assert score is not None
    assert score.total == 475
    assert score.rule_set == "crs-2020-10-27"
    assert score.sections == {"core": 325, "spouse": 0, "transferability": 100, "additional": 50}
    assert score.breakdown["additional.job_offer"] == 50
    assert score.as_of == date(2023, 7, 1)
    assert score.is_current
    # the stored profile is a calculator payload that gives the same total
    assert score.profile["education"] == "two_or_more"
    assert score.profile["foreign_work_years"] == 3
    assert score.profile["first_language"]["test"] == "celpip"
    assert calculate(score.profile)["total"] == 475
    assert len(score.inputs_hash) == 64


def test_seed_example_528_with_two_years_of_canadian_work(world):
    client = seed_client(world.firm, dob=date(1985, 1, 1), test_date=date(2023, 3, 1))
    work(client, date(2021, 5, 1), None, in_canada=True, province="ON")
    score = client_recompute(client_id=client.pk, as_of=date(2023, 7, 1))
    assert score.profile["canadian_work_years"] == 2
    assert score.total == 528
    assert calculate(score.profile)["total"] == 528


def test_seed_example_425_on_2025_06_01_without_job_offer_points(world):
    client = seed_client(world.firm, dob=date(1986, 7, 1), test_date=date(2024, 1, 10))
    score = client_recompute(client_id=client.pk, as_of=date(2025, 6, 1))
    assert score.rule_set == "crs-2025-03-25"
    assert score.breakdown["additional.job_offer"] == 0
    assert score.total == 425


def test_best_valid_language_result_is_used(world):
    client = seed_client(world.firm, dob=date(1985, 1, 1), test_date=date(2023, 3, 1))
    celpip(client, 12, date(2020, 1, 1))  # better, but expired on 2023-07-01
    celpip(client, 7, date(2023, 5, 1))  # valid, worse
    score = client_recompute(client_id=client.pk, as_of=date(2023, 7, 1))
    assert score.total == 475
    assert score.profile["first_language"]["test_date"] == "2023-03-01"


def test_spouse_factors_only_when_accompanying_and_not_canadian(world):
    client = seed_client(world.firm, dob=date(1985, 1, 1), test_date=date(2023, 3, 1))
    celpip(client, 9, date(2023, 1, 1), person="spouse")
    foreign_degree(client, "masters", date(2012, 1, 1), eca=date(2022, 1, 1), person="spouse")
    Client.objects.filter(pk=client.pk).update(marital_status="married", spouse_accompanying=False)
    single_like = client_recompute(client_id=client.pk, as_of=date(2023, 7, 1))
    assert single_like.spouse == 0 and single_like.total == 475

    Client.objects.filter(pk=client.pk).update(spouse_accompanying=True)
    with_spouse = client_recompute(client_id=client.pk, as_of=date(2023, 7, 1))
    assert with_spouse.profile["spouse"]["first_language"]["test"] == "celpip"
    assert with_spouse.spouse > 0
    assert calculate(with_spouse.profile)["total"] == with_spouse.total

    Client.objects.filter(pk=client.pk).update(spouse_canadian=True)
    canadian = client_recompute(client_id=client.pk, as_of=date(2023, 7, 1))
    assert canadian.spouse == 0 and canadian.total == 475
    # the principal's own masters counted (spouse rows are separate): education stays two_or_more+
    assert "spouse" not in canadian.profile


# --- History ------------------------------------------------------------------------------------------------


def _good_client(world, today: date) -> Client:
    client = Client.objects.create(
        firm=world.firm, first_name="Ana", last_name="Silva", date_of_birth=date(today.year - 31, 3, 3)
    )
    foreign_degree(client, "masters", date(2015, 6, 1), eca=recent(today, 100))
    celpip(client, 9, recent(today, 30))
    return client


def test_recompute_twice_keeps_one_row(world, today):
    client = _good_client(world, today)
    first = client_recompute(client_id=client.pk)
    again = client_recompute(client_id=client.pk)
    assert first.pk == again.pk
    assert CRSScore.objects.filter(client=client).count() == 1


def test_fact_change_writes_a_new_current_row_and_keeps_the_old(
    world, today, django_capture_on_commit_callbacks
):
    client = _good_client(world, today)
    first = client_recompute(client_id=client.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client_fact_create(
            actor=SYSTEM,
            client=client,
            kind="work_experience",
            data={
                "noc_code": "21231",
                "teer": 1,
                "in_canada": True,
                "start_date": today - timedelta(days=800),
                "end_date": None,
                "province": "ON",
            },
        )
    rows = list(CRSScore.objects.filter(client=client).order_by("pk"))
    assert len(rows) == 2
    assert rows[0].pk == first.pk and not rows[0].is_current
    assert rows[1].is_current and rows[1].total > first.total
    assert CRSScore.objects.filter(client=client, is_current=True).count() == 1


def test_eligibility_rows_for_programs_and_category_versions(world, today):
    client = _good_client(world, today)
    work(client, today - timedelta(days=800), None, in_canada=True, province="ON", noc="21300")  # STEM 2026
    report = recompute_clients([client.pk], as_of=today)
    assert report.created == 1
    rows = {(e.program, e.version): e for e in Eligibility.objects.filter(client=client)}
    assert {("fsw", ""), ("cec", ""), ("fst", "")} <= set(rows)
    versions = {v for _, v in rows if v}
    assert versions == {"2023-v1", "2025-v2", "2026"}  # every version in force within 3 years
    assert rows[("cec", "")].outcome == "eligible", rows[
        ("cec", "")
    ].criteria  # living outside Quebec inferred from the Ontario job
    assert rows[("stem", "2026")].outcome == "eligible"
    assert rows[("fsw", "")].outcome == "needs_information"  # settlement funds are not recorded
    assert all({"key", "status", "reason", "source"} <= set(c) for c in rows[("cec", "")].criteria)
    assert "factors" in rows[("fsw", "")].detail or rows[("fsw", "")].detail
    again = recompute_clients([client.pk], as_of=today)
    assert again.created == 0 and again.refreshed == 1
    assert again.eligibility_written == 0 and again.eligibility_deleted == 0


# --- Partial facts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["date_of_birth", "language_test", "education"])
def test_partial_facts_give_no_score(world, today, missing):
    client = Client.objects.create(
        firm=world.firm,
        first_name="P",
        last_name="Q",
        date_of_birth=None if missing == "date_of_birth" else date(1990, 1, 1),
    )
    if missing != "language_test":
        celpip(client, 9, recent(today, 10))
    if missing != "education":
        foreign_degree(client, "bachelors", date(2012, 1, 1), eca=recent(today, 10))
    work(client, date(2019, 1, 1), None)
    assert client_recompute(client_id=client.pk) is None
    assert not CRSScore.objects.filter(client=client).exists()
    assert not Eligibility.objects.filter(client=client).exists()


def test_client_with_nothing_at_all_and_unknown_client(world):
    empty = Client.objects.create(firm=world.firm, first_name="E", last_name="Mpty")
    assert client_recompute(client_id=empty.pk) is None
    assert client_recompute(client_id=999_999) is None


def test_losing_a_fact_keeps_history_but_no_current_score(world, today, django_capture_on_commit_callbacks):
    client = _good_client(world, today)
    score = client_recompute(client_id=client.pk)
    assert Eligibility.objects.filter(client=client).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_fact_delete(actor=SYSTEM, fact=LanguageTest.objects.get(client=client))
    assert CRSScore.objects.filter(pk=score.pk, is_current=False).exists()
    assert not CRSScore.objects.filter(client=client, is_current=True).exists()
    assert not Eligibility.objects.filter(client=client).exists()


# --- Next change ----------------------------------------------------------------------------------------


def test_next_change_is_a_birthday_that_changes_points(world, today):
    client = _good_client(world, today)  # 31: age points drop every birthday
    score = client_recompute(client_id=client.pk)
    assert score.next_change_on == next_birthday(client.date_of_birth, today)


def test_next_change_is_a_work_anniversary(world, today):
    client = Client.objects.create(
        firm=world.firm, first_name="W", last_name="Ork", date_of_birth=date(today.year - 24, 1, 15)
    )
    foreign_degree(client, "bachelors", date(2020, 6, 1), eca=recent(today, 30))
    celpip(client, 9, recent(today, 20))
    work(client, today - timedelta(days=500), None, in_canada=True, province="BC")
    score = client_recompute(client_id=client.pk)
    d = score.next_change_on
    assert d is not None and d < anniversary(today, 1)
    facts = person_facts(load_snapshots([client.pk])[client.pk], today)
    canadian = crs_canadian_work(facts.work)
    assert years_in_window(canadian, d - timedelta(days=1), 10) == 1
    assert years_in_window(canadian, d, 10) == 2


def test_next_change_is_a_language_test_expiry(world, today):
    client = Client.objects.create(
        firm=world.firm, first_name="L", last_name="Ang", date_of_birth=date(today.year - 24, 1, 15)
    )
    foreign_degree(client, "bachelors", date(2020, 6, 1), eca=recent(today, 30))
    taken = anniversary(today, -2) + timedelta(days=40)
    celpip(client, 9, taken)
    score = client_recompute(client_id=client.pk)
    assert score.next_change_on == anniversary(taken, 2)


def test_nightly_recomputes_exactly_the_due_clients(world, today):
    due = _good_client(world, today)
    old_rules = _good_client(world, today)
    not_due = _good_client(world, today)
    for c in (due, old_rules, not_due):
        client_recompute(client_id=c.pk)
    yesterday = today - timedelta(days=1)
    CRSScore.objects.update(as_of=yesterday, next_change_on=today + timedelta(days=30))
    CRSScore.objects.filter(client=due).update(next_change_on=today)
    CRSScore.objects.filter(client=old_rules).update(rule_set="crs-2020-10-27")

    assert scores_recompute_due(today=today) == 2
    by_client = {s.client_id: s for s in CRSScore.objects.filter(is_current=True)}
    assert by_client[due.pk].as_of == today
    assert by_client[due.pk].next_change_on > today
    assert by_client[old_rules.pk].rule_set != "crs-2020-10-27"  # a new row under today's rule set
    assert by_client[old_rules.pk].as_of == today
    assert by_client[not_due.pk].as_of == yesterday  # untouched
    assert CRSScore.objects.filter(client=old_rules).count() == 2
    assert scores_recompute_due(today=today) == 0  # idempotent


def test_stale_evaluations_are_refreshed_for_eligibility(world, today):
    client = _good_client(world, today)
    client_recompute(client_id=client.pk)
    CRSScore.objects.update(as_of=today - timedelta(days=8), next_change_on=today + timedelta(days=100))
    assert scores_recompute_due(today=today) == 1


def test_recompute_all_includes_clients_without_a_score(world, today):
    _good_client(world, today)
    Client.objects.create(firm=world.firm, first_name="No", last_name="Facts")
    assert scores_recompute_all(today=today) == 2
    assert CRSScore.objects.filter(is_current=True).count() == 1


def _pnp_draw(number: str, on: date, min_crs: int):
    from django.utils import timezone

    from scoring.models import Draw

    return Draw.objects.create(
        draw_number=number,
        draw_date=on,
        category="pnp",
        programs=["pnp"],
        invitations=100,
        min_crs=min_crs,
        content_hash=number,
        updated_at=timezone.now(),
    )


def test_a_new_score_that_clears_a_recent_draw_gets_a_match_and_an_alert(
    world, today, settings, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from scoring.models import DrawMatch
    from scoring.services.flagging import draw_flag
    from tests.factories import staff_user

    settings.DRAW_REFLAG_RECENT_DAYS = 14
    staff_user(world.firm, "admin", email="admin@scores.test")  # the digest goes to the firm's admins
    client = _good_client(world, today)
    with django_capture_on_commit_callbacks(execute=True):
        client_recompute(client_id=client.pk)
    recent_draw = _pnp_draw("9001", today - timedelta(days=5), min_crs=700)
    older_draw = _pnp_draw("9002", today - timedelta(days=20), min_crs=700)  # beyond the 14 days
    for draw in (recent_draw, older_draw):
        draw_flag(draw_id=draw.pk)
    assert not DrawMatch.objects.filter(client=client).exists()  # no nomination yet: not eligible

    # the client's facts change (an enhanced nomination: +600 and eligible for PNP rounds)
    with django_capture_on_commit_callbacks(execute=True):
        client_fact_create(
            actor=SYSTEM,
            client=client,
            kind="nomination",
            data={
                "province": "ON",
                "stream": "HCP",
                "nominated_on": today - timedelta(days=10),
                "enhanced": True,
            },
        )
    score = CRSScore.objects.get(client=client, is_current=True)
    assert score.total > 700
    match = DrawMatch.objects.get(client=client)
    assert match.draw_id == recent_draw.pk and match.score == score.total
    assert Notification.objects.filter(draw=recent_draw, kind=Notification.Kind.DRAW_DIGEST).exists()

    # nothing changes on a recompute with the same facts: no second match, no second alert
    alerts = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client_recompute(client_id=client.pk)
    assert DrawMatch.objects.filter(client=client).count() == 1 and Notification.objects.count() == alerts
