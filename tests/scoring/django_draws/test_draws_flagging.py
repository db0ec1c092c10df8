"""Flagging: who clears a draw, idempotence, edits by IRCC, and the alert outbox rows it writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from firm.models import Membership, ProvincialNomination
from notifications.models import Notification
from scoring.draws import VERSION_2023
from scoring.models import Draw, DrawMatch
from scoring.services.draws import draws_upsert
from scoring.services.flagging import draw_flag
from tests.scoring.django_draws.conftest import RECENT, TIE_BREAK, TODAY, World, feed, round_dict

pytestmark = pytest.mark.django_db

BEFORE = TIE_BREAK - timedelta(days=1)
AFTER = TIE_BREAK + timedelta(hours=1)


def sync(capture, *rounds) -> None:
    with capture(execute=True):
        draws_upsert(data=feed(*rounds), source="test")


def upsert(*, data: bytes, source: str, flag: str, capture) -> None:
    """draws_upsert with its after-commit flagging run (the test runs in a transaction)."""
    with capture(execute=True):
        draws_upsert(data=data, source=source, flag=flag)


def matched(draw_number: str, *, status: str = "active") -> set[str]:
    return set(
        DrawMatch.objects.filter(draw__draw_number=draw_number, status=status).values_list(
            "client__first_name", flat=True
        )
    )


def cec_world(world: World) -> None:
    w = world.client
    w("a", "Above", 510, lawyer="a_lawyer1", profile_at=BEFORE)
    w("a", "TieEarlier", 500, lawyer="a_lawyer1", profile_at=BEFORE)
    w("a", "TieLater", 500, lawyer="a_lawyer1", profile_at=AFTER)
    w("a", "TieProspect", 500, lawyer="a_lawyer2")
    w("a", "Below", 499, lawyer="a_lawyer2", profile_at=BEFORE)
    w("a", "NotEligible", 600, lawyer="a_lawyer2", programs=("fsw",), not_eligible=("cec",))
    w("a", "NeedsInfo", 600, lawyer="a_lawyer2", programs=())
    w("a", "Prospect", 520, lawyer="a_lawyer2")
    w("a", "NoScore", None, lawyer="a_lawyer2")
    w("a", "Closed", 600, lawyer="a_lawyer2", status="closed")
    w("a", "Unassigned", 530)
    w("b", "OtherFirm", 540, lawyer="b_lawyer", profile_at=BEFORE)
    w("b", "OtherUnassigned", 505, email="")


def test_program_round_selects_exactly_the_clients_who_clear_it(world, django_capture_on_commit_callbacks):
    cec_world(world)
    sync(django_capture_on_commit_callbacks, round_dict("1001", crs=500))
    assert matched("1001") == {
        "Above",
        "TieEarlier",
        "Prospect",
        "Unassigned",
        "OtherFirm",
        "OtherUnassigned",
    }
    rows = {m.client.first_name: m for m in DrawMatch.objects.select_related("client", "crs_score")}
    assert rows["Above"].in_pool and not rows["Above"].by_tie_break
    assert rows["TieEarlier"].in_pool and rows["TieEarlier"].by_tie_break
    assert not rows["Prospect"].in_pool
    above = rows["Above"]
    assert (above.score, above.crs_score.total, above.rule_set, above.eligibility_basis) == (
        510,
        510,
        "crs-2025-03-25",
        "cec",
    )
    assert above.lawyer == world.staff["a_lawyer1"] and rows["Unassigned"].lawyer is None
    assert above.firm == world.firms["a"] and rows["OtherFirm"].firm == world.firms["b"]


def test_no_tie_break_time_means_nobody_at_the_cut_off(world, django_capture_on_commit_callbacks):
    world.client("a", "Tie", 500, lawyer="a_lawyer1", profile_at=BEFORE)
    world.client("a", "Above", 501, lawyer="a_lawyer1", profile_at=BEFORE)
    upsert(
        data=feed(round_dict("1002", crs=500, tie_break=None)),
        source="t",
        flag="inline",
        capture=django_capture_on_commit_callbacks,
    )
    assert matched("1002") == {"Above"}


def test_general_rounds_need_any_federal_program(world, django_capture_on_commit_callbacks):
    world.client("a", "Trades", 490, programs=("fst",))
    world.client("a", "Worker", 490, programs=("fsw",))
    world.client("a", "Nothing", 490, programs=())
    world.client("a", "NotEligible", 490, programs=(), not_eligible=("fsw", "cec", "fst"))
    upsert(
        data=feed(
            round_dict("1003", name="No Program Specified", crs=480),
            round_dict("1004", name="General", crs=480),
        ),
        source="t",
        flag="inline",
        capture=django_capture_on_commit_callbacks,
    )
    assert matched("1003") == matched("1004") == {"Trades", "Worker"}
    assert (
        DrawMatch.objects.filter(draw__draw_number="1003").first().eligibility_basis == "any of fsw/cec/fst"
    )


def test_pnp_rounds_need_a_nomination_valid_on_the_draw_date(world, django_capture_on_commit_callbacks):
    w = world.client
    w("a", "Nominated", 750, nomination=(RECENT - timedelta(days=30), None))
    w(
        "a",
        "NominatedExpiresLater",
        750,
        nomination=(RECENT - timedelta(days=30), RECENT + timedelta(days=90)),
    )
    w("a", "NoNomination", 750)
    w("a", "NominatedAfterDraw", 750, nomination=(RECENT + timedelta(days=1), None))
    w("a", "Expired", 750, nomination=(RECENT - timedelta(days=400), RECENT - timedelta(days=1)))
    w("a", "NominatedLowScore", 650, nomination=(RECENT - timedelta(days=30), None))
    base = w("a", "BaseNomination", 750)
    ProvincialNomination.objects.create(
        client=base, province="BC", nominated_on=RECENT - timedelta(days=30), enhanced=False
    )
    upsert(
        data=feed(
            round_dict(
                "1005", name="Provincial Nominee Program", crs=700, programs="Provincial Nominee Program"
            )
        ),
        source="t",
        flag="inline",
        capture=django_capture_on_commit_callbacks,
    )
    assert matched("1005") == {"Nominated", "NominatedExpiresLater"}
    assert set(DrawMatch.objects.values_list("eligibility_basis", flat=True)) == {"provincial nomination"}


def test_category_rounds_need_that_category_version(world, django_capture_on_commit_callbacks):
    w = world.client
    w("a", "Health", 460, categories=(("healthcare", VERSION_2023),))
    w("a", "HealthOtherVersion", 460, categories=(("healthcare", "2025-v2"),))
    w("a", "Stem", 460, categories=(("stem", VERSION_2023),))
    w("a", "HealthBelow", 440, categories=(("healthcare", VERSION_2023),))
    w("a", "ProgramOnly", 460)
    upsert(
        data=feed(round_dict("1006", name="Healthcare occupations (Version 1)", crs=450)),
        source="t",
        flag="inline",
        capture=django_capture_on_commit_callbacks,
    )
    draw = Draw.objects.get(draw_number="1006")
    assert (draw.category, draw.category_version) == ("healthcare", VERSION_2023)
    assert matched("1006") == {"Health"}
    assert DrawMatch.objects.get().eligibility_basis == f"healthcare {VERSION_2023}"


def test_reflagging_and_resyncing_create_nothing_new(world, django_capture_on_commit_callbacks):
    cec_world(world)
    sync(django_capture_on_commit_callbacks, round_dict("1007", crs=500))
    counts = (DrawMatch.objects.count(), Notification.objects.count(), len(mail.outbox))
    draw = Draw.objects.get(draw_number="1007")
    with django_capture_on_commit_callbacks(execute=True):
        again = draw_flag(draw_id=draw.pk)
    assert (again.new_matches, again.withdrawn, again.notifications) == (0, 0, [])
    sync(django_capture_on_commit_callbacks, round_dict("1007", crs=500))
    assert (DrawMatch.objects.count(), Notification.objects.count(), len(mail.outbox)) == counts
    draw.refresh_from_db()
    assert draw.flag_runs == 1 and not draw.needs_flagging


def test_round_edited_after_flagging(world, django_capture_on_commit_callbacks):
    cec_world(world)
    sync(django_capture_on_commit_callbacks, round_dict("1008", crs=500))
    first = matched("1008")
    emails = len(mail.outbox)

    # IRCC raises the cut-off: clients who no longer clear it are withdrawn, nobody is emailed
    sync(django_capture_on_commit_callbacks, round_dict("1008", crs=511))
    assert matched("1008") == {"OtherFirm", "Prospect", "Unassigned"}
    assert matched("1008", status="withdrawn") == {"Above", "TieEarlier", "OtherUnassigned"}
    assert DrawMatch.objects.filter(status="withdrawn").exclude(withdrawn_at=None).count() == 3
    assert len(mail.outbox) == emails

    # ... then lowers it: withdrawn matches come back (already alerted: no new email), new ones are
    # added and alerted in a new digest that lists only them
    mail.outbox.clear()
    sync(django_capture_on_commit_callbacks, round_dict("1008", crs=499))
    assert matched("1008") == first | {"Below", "TieLater", "TieProspect"}
    assert matched("1008", status="withdrawn") == set()
    digests = {m.to[0]: m.body for m in mail.outbox if "staff.test" in m.to[0]}
    assert set(digests) == {"a_lawyer1@staff.test", "a_lawyer2@staff.test"}
    assert "TieLater" in digests["a_lawyer1@staff.test"] and "Above" not in digests["a_lawyer1@staff.test"]
    assert "Below" in digests["a_lawyer2@staff.test"] and "TieProspect" in digests["a_lawyer2@staff.test"]
    assert all("edited by IRCC" in m.subject for m in mail.outbox if "staff.test" in m.to[0])
    keys = set(Notification.objects.filter(kind="draw_digest").values_list("dedupe_key", flat=True))
    draw_id = Draw.objects.get(draw_number="1008").pk
    lawyer1 = world.staff["a_lawyer1"].pk
    assert {f"draw:{draw_id}:lawyer:{lawyer1}", f"draw:{draw_id}:lawyer:{lawyer1}:run:2"} <= keys
    # the same edit again: nothing new
    mail.outbox.clear()
    sync(django_capture_on_commit_callbacks, round_dict("1008", crs=499))
    assert mail.outbox == []


def test_one_digest_per_lawyer_with_their_clients_only(world, django_capture_on_commit_callbacks):
    cec_world(world)
    sync(django_capture_on_commit_callbacks, round_dict("1009", crs=500))
    digests = {m.to[0]: m for m in mail.outbox if m.to[0].endswith("@staff.test")}
    assert set(digests) == {
        "a_lawyer1@staff.test",
        "a_lawyer2@staff.test",
        "a_admin@staff.test",  # firm A's unassigned client
        "b_lawyer@staff.test",
        "b_admin@staff.test",  # firm B's unassigned client
    }
    body = {k: v.body for k, v in digests.items()}
    assert "Above" in body["a_lawyer1@staff.test"] and "TieEarlier" in body["a_lawyer1@staff.test"]
    assert "Prospect" not in body["a_lawyer1@staff.test"] and "OtherFirm" not in body["a_lawyer1@staff.test"]
    assert "Prospect" in body["a_lawyer2@staff.test"] and "Above" not in body["a_lawyer2@staff.test"]
    assert "Unassigned" in body["a_admin@staff.test"] and "Above" not in body["a_admin@staff.test"]
    assert "OtherFirm" in body["b_lawyer@staff.test"] and "Above" not in body["b_lawyer@staff.test"]
    assert "OtherUnassigned" in body["b_admin@staff.test"]
    # in-pool vs prospect, score, cut-off
    lawyer1 = body["a_lawyer1@staff.test"]
    assert "IN THE POOL" in lawyer1 and "60-day" in lawyer1 and "CRS 510 (+10" in lawyer1
    assert "lowest invited score 500" in lawyer1 and "PROSPECTS" not in lawyer1
    assert "PROSPECTS" in body["a_lawyer2@staff.test"]
    html, mimetype = digests["a_lawyer1@staff.test"].alternatives[0]
    assert mimetype == "text/html" and "<table" in html and "Above" in html


def test_clients_are_emailed_only_when_their_firm_wants_it(world, django_capture_on_commit_callbacks):
    cec_world(world)
    world.client("a", "Francophone", 560, lawyer="a_lawyer1", language="fr")
    world.client("a", "NoEmail", 560, lawyer="a_lawyer1", email="")
    sync(django_capture_on_commit_callbacks, round_dict("1010", crs=500))
    alerts = Notification.objects.filter(kind="client_draw_alert")
    # firm A emails clients (those with an address); firm B does not
    assert set(alerts.values_list("client__first_name", flat=True)) == {
        "Above",
        "TieEarlier",
        "Prospect",
        "Unassigned",
        "Francophone",
    }
    assert alerts.get(client__first_name="Francophone").language == "fr"
    assert set(alerts.values_list("status", flat=True)) == {"sent"}
    client_mail = [m for m in mail.outbox if m.to[0].endswith("@clients.test")]
    assert len(client_mail) == 5
    prospect = next(m for m in client_mail if m.to[0] == "prospect@clients.test")
    assert "entering the pool" in prospect.body
    above = next(m for m in client_mail if m.to[0] == "above@clients.test")
    assert "60 days" in above.body


def test_inactive_assigned_lawyer_sends_clients_to_the_admins(world, django_capture_on_commit_callbacks):
    world.client("a", "Orphan", 560, lawyer="a_lawyer1")
    Membership.objects.filter(user=world.staff["a_lawyer1"]).update(is_active=False)
    sync(django_capture_on_commit_callbacks, round_dict("1011", crs=500))
    assert DrawMatch.objects.get().lawyer is None
    assert [m.to[0] for m in mail.outbox if "staff" in m.to[0]] == ["a_admin@staff.test"]


def test_old_draw_flagged_on_demand_without_email(world, django_capture_on_commit_callbacks):
    cec_world(world)
    old = TODAY - timedelta(days=365)
    draws_upsert(data=feed(round_dict("1012", on=old, crs=500, tie_break=None)), source="t")
    draw = Draw.objects.get(draw_number="1012")
    assert draw_flag(draw_id=draw.pk).skipped  # not automatically
    with django_capture_on_commit_callbacks(execute=True):
        result = draw_flag(draw_id=draw.pk, force=True)
    assert result.new_matches == 5 and not result.emails
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_flag_draws_command(world, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    world.client("a", "Ready", 560, lawyer="a_lawyer1")
    draws_upsert(data=feed(round_dict("1013", on=TODAY - timedelta(days=900), tie_break=None)), source="t")
    out = io.StringIO()
    call_command("flag_draws", "1013", "--no-email", stdout=out)
    assert "#1013: 1 new matches" in out.getvalue()
    assert Notification.objects.count() == 0


def test_unknown_round_matches_nobody_even_when_forced(world, django_capture_on_commit_callbacks):
    world.client("a", "Ready", 900, programs=("fsw", "cec", "fst"))
    draws_upsert(data=feed(round_dict("1014", name="Mystery round", crs=100)), source="t")
    draw = Draw.objects.get(draw_number="1014")
    assert draw.category == "unknown"
    assert draw_flag(draw_id=draw.pk, force=True).new_matches == 0
