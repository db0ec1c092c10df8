"""Sync: IRCC's feed -> Draw rows (upsert by draw number), the command, the beat task, unknown names."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest
import requests
from celery.exceptions import Retry
from django.core import mail
from django.core.management import CommandError, call_command

from notifications.models import Notification
from scoring.draws import VERSION_2023, FeedResponse, load_snapshot
from scoring.models import Draw, DrawMatch
from scoring.services.draws import DrawFeedUnavailable, draw_set_category, draws_sync, draws_upsert
from scoring.tasks.draws import draws_sync_task
from tests.scoring.django_draws.conftest import RECENT, TIE_BREAK, TODAY, feed, round_dict

pytestmark = pytest.mark.django_db


def test_snapshot_creates_301_draws_and_a_second_sync_changes_nothing():
    first = draws_upsert(data=load_snapshot(), source="snapshot")
    assert (len(first.created), first.updated, first.unchanged, first.problems) == (301, [], 0, [])
    assert Draw.objects.count() == 301
    d91a, d91b = Draw.objects.get(draw_number="91a"), Draw.objects.get(draw_number="91b")
    assert (d91a.category, d91a.min_crs, d91b.category, d91b.min_crs) == ("fst", 288, "pnp", 902)
    first_seen = d91a.first_seen_at

    second = draws_upsert(data=load_snapshot(), source="snapshot")
    assert (second.created, second.updated, second.unchanged, second.problems) == ([], [], 301, [])
    assert Draw.objects.get(draw_number="91a").first_seen_at == first_seen
    # the snapshot ends in 2024: nothing is recent enough to be flagged automatically, nobody is emailed
    assert first.to_flag == [] and second.to_flag == []
    assert DrawMatch.objects.count() == 0 and Notification.objects.count() == 0


def test_snapshot_fields_are_stored():
    draws_upsert(data=load_snapshot(), source="snapshot")
    draw = Draw.objects.get(draw_number="300")
    assert draw.name == "Trade occupations (Version 1)"
    assert (draw.category, draw.category_version) == ("trades", VERSION_2023)
    assert (draw.invitations, draw.min_crs) == (1800, 436)
    assert draw.run_at.isoformat() == "2024-07-04T13:30:48+00:00"
    assert draw.tie_break_at.isoformat() == "2023-07-16T15:44:59+00:00"
    assert draw.distribution["total"] == 222547 and draw.distribution["601-1200"] == 940
    assert draw.raw["drawNumber"] == "300" and len(draw.content_hash) == 64
    assert draw.programs == ["fsw", "cec", "fst"]
    assert Draw.objects.get(draw_number="1").tie_break_at is None  # IRCC gave none for rounds 1-76


def test_edited_round_is_updated_and_the_rest_unchanged():
    rounds = json.loads(load_snapshot())["rounds"]
    draws_upsert(data=feed(*rounds), source="t")
    edited = [dict(r) for r in rounds]
    target = next(r for r in edited if r["drawNumber"] == "262")
    target["drawCutOff"] = "August 01, 2023 at 12:59:52 UTC"  # IRCC corrected this tie-break (draw_feed.md)
    report = draws_upsert(data=feed(*edited), source="t")
    assert (report.created, report.updated, report.unchanged) == ([], ["262"], 300)
    draw = Draw.objects.get(draw_number="262")
    assert draw.tie_break_at.isoformat() == "2023-08-01T12:59:52+00:00"
    assert draw.updated_at > draw.first_seen_at


def test_malformed_round_is_reported_and_the_others_synced():
    good = round_dict("900", on=RECENT)
    no_crs = {**round_dict("901", on=RECENT), "drawCRS": "n/a"}
    report = draws_upsert(data=feed(good, no_crs, "not a round", round_dict("902", on=RECENT)), source="t")
    assert sorted(report.created) == ["900", "902"]
    assert len(report.problems) == 2
    assert any("901" in p and "drawCRS" in p for p in report.problems)
    assert set(Draw.objects.values_list("draw_number", flat=True)) == {"900", "902"}


def test_duplicate_draw_number_in_the_feed_keeps_the_first(caplog):
    report = draws_upsert(
        data=feed(round_dict("950", crs=501), round_dict("950", crs=502)), source="t", flag="none"
    )
    assert report.created == ["950"] and Draw.objects.get().min_crs == 501
    assert any("duplicate" in p for p in report.problems)


def test_unknown_name_is_kept_logged_and_flagged_for_nobody_until_mapped(
    world, caplog, django_capture_on_commit_callbacks
):
    world.client("a", "Ready", 600, lawyer="a_lawyer1")
    caplog.set_level(logging.WARNING, logger="scoring.services.draws")
    with django_capture_on_commit_callbacks(execute=True):
        report = draws_upsert(
            data=feed(round_dict("960", name="Aerospace occupations (Version 1)")), source="t"
        )
    draw = Draw.objects.get(draw_number="960")
    assert (draw.category, report.unknown, report.to_flag) == ("unknown", ["960"], [])
    assert "does not know" in caplog.text and "960" in caplog.text
    assert DrawMatch.objects.count() == 0

    # a person maps it (admin edit) -> flagging runs for it
    with django_capture_on_commit_callbacks(execute=True):
        draw_set_category(draw=draw, category="cec")
    assert DrawMatch.objects.filter(draw=draw).count() == 1
    assert len(mail.outbox) == 2  # the lawyer's digest + the client's alert (firm A emails clients)

    # the next sync of the same feed keeps the person's mapping and flags nothing new
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = draws_upsert(
            data=feed(round_dict("960", name="Aerospace occupations (Version 1)")), source="t"
        )
    draw.refresh_from_db()
    assert (again.unchanged, draw.category, draw.category_set_manually) == (1, "cec", True)
    assert DrawMatch.objects.count() == 1 and mail.outbox == []


def test_old_rounds_are_not_flagged_automatically(world, django_capture_on_commit_callbacks):
    world.client("a", "Ready", 600, lawyer="a_lawyer1")
    old = TODAY - timedelta(days=400)
    with django_capture_on_commit_callbacks(execute=True):
        report = draws_upsert(data=feed(round_dict("970", on=old, tie_break=None)), source="t")
    assert report.created == ["970"] and report.to_flag == []
    assert DrawMatch.objects.count() == 0 and mail.outbox == []


def test_sync_command_reports_counts(tmp_path, world, django_capture_on_commit_callbacks):
    world.client("a", "Ready", 600, lawyer="a_lawyer1", profile_at=TIE_BREAK - timedelta(days=2))
    path = tmp_path / "feed.json"
    path.write_bytes(feed(round_dict("980"), {**round_dict("981"), "drawSize": ""}))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # as outside a test transaction
        call_command("sync_draws", "--file", str(path), stdout=out)
    text = out.getvalue()
    assert "created:   1" in text and "updated:   0" in text and "unchanged: 0" in text
    assert "problems:  1" in text and "981" in text
    assert "#980: 1 new matches" in text  # flagged in-process by default
    out = io.StringIO()
    call_command("sync_draws", "--file", str(path), stdout=out)
    assert "created:   0" in out.getvalue() and "unchanged: 1" in out.getvalue()
    assert DrawMatch.objects.count() == 1


def test_sync_command_snapshot_and_errors(tmp_path):
    out = io.StringIO()
    call_command("sync_draws", "--snapshot", stdout=out)
    assert "created:   301" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text("<html>maintenance</html>")
    with pytest.raises(CommandError, match="unreadable"):
        call_command("sync_draws", "--file", str(bad), stdout=io.StringIO())


def test_network_failure_is_transient_and_retried(monkeypatch):
    calls = []

    def down(url, **kwargs):
        calls.append(url)
        raise requests.ConnectionError("connection refused")

    monkeypatch.setattr("scoring.services.draws.fetch_feed_conditional", down)
    with pytest.raises(DrawFeedUnavailable):
        draws_sync(url="https://feed.invalid/x.json")
    assert draws_sync_task.autoretry_for and draws_sync_task.retry_backoff_max <= 600 < 3600
    assert draws_sync_task.max_retries == 5
    calls.clear()
    with pytest.raises(Retry, match="connection refused"):  # a retry is scheduled
        draws_sync_task.apply(kwargs={"url": "https://feed.invalid/x.json"}, throw=True)
    assert len(calls) == 1


def test_parse_problem_is_not_retried(monkeypatch):
    calls = []

    def html(url, **kwargs):
        calls.append(url)
        return FeedResponse(b"<html>not json</html>")

    monkeypatch.setattr("scoring.services.draws.fetch_feed_conditional", html)
    result = draws_sync_task.apply(kwargs={"url": "https://feed.invalid/x.json"}).get()
    assert "not JSON" in result["error"] and len(calls) == 1


def test_task_default_url_is_the_setting(monkeypatch, settings):
    settings.IRCC_DRAWS_FEED_URL = "https://example.invalid/ee.json"
    seen = []
    monkeypatch.setattr(
        "scoring.services.draws.fetch_feed_conditional",
        lambda url, **kwargs: seen.append(url) or FeedResponse(feed()),
    )
    draws_sync_task.apply().get()
    assert seen == ["https://example.invalid/ee.json"]
