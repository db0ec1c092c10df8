"""Draw to alert: the feed is polled with conditional GETs (an unchanged feed costs one 304), and with a
REAL beat and worker polling a local feed server, a new round's digest email reaches a real SMTP server
within 60 s of the feed changing."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from notifications.models import Notification
from scoring.models import Draw, DrawFeedSync
from scoring.services.draws import draws_sync
from tests.fixtures.feed_server import FeedServer
from tests.fixtures.smtp_server import SMTPServer
from tests.scoring.django_draws.conftest import build_world, feed, round_dict
from tests.scoring.django_draws.test_draws_worker import BIN, ROOT, Services, people, wait_until

pytestmark = [pytest.mark.postgres]


@pytest.mark.django_db
def test_unchanged_feed_costs_one_304_and_a_change_is_fetched(settings):
    settings.DRAW_FEED_STALE_AFTER_MINUTES = 15
    with FeedServer(feed(round_dict("4001", crs=500))) as server:
        first = draws_sync(url=server.url, flag="none")
        assert first.created == ["4001"] and not first.not_modified
        assert (server.ok, server.not_modified, server.conditional) == (1, 0, 0)

        again = draws_sync(url=server.url, flag="none")
        assert again.not_modified and again.created == [] and again.updated == []
        assert (server.ok, server.not_modified, server.conditional) == (1, 1, 1)
        latest = DrawFeedSync.objects.first()
        assert latest.ok and latest.not_modified and latest.etag == server.etag

        server.set(feed(round_dict("4001", crs=500), round_dict("4002", crs=490)))
        changed = draws_sync(url=server.url, flag="none")
        assert changed.created == ["4002"] and not changed.not_modified
        assert (server.ok, server.not_modified, server.conditional) == (2, 1, 2)
        assert set(Draw.objects.values_list("draw_number", flat=True)) == {"4001", "4002"}


def test_poll_interval_is_five_minutes():
    from datetime import timedelta

    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["sync-express-entry-draws"]["schedule"] == timedelta(minutes=5)


@pytest.mark.redis
@pytest.mark.timeout(180)
def test_digest_email_within_60_s_of_the_feed_changing_with_real_beat_and_worker(transactional_db, tmp_path):
    world = build_world()
    people(world)
    with SMTPServer() as smtp, FeedServer(feed(round_dict("3999", crs=900))) as server:
        services = Services(tmp_path, smtp)
        services.env.update(
            {
                "IRCC_DRAWS_FEED_URL": server.url,
                "DRAW_SYNC_INTERVAL_SECONDS": os.environ.get("TEST_DRAW_SYNC_INTERVAL_SECONDS", "5"),
            }
        )
        beat = None
        try:
            services.start_worker()
            beat_log = tmp_path / "beat.log"
            beat = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "beat",
                    "--loglevel=INFO",
                    "-s",
                    str(tmp_path / "sched"),
                ],
                cwd=ROOT,
                env=services.env,
                stdout=beat_log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            # the beat polls; the unchanged feed is answered with 304s
            wait_until(lambda: server.not_modified >= 1, timeout=60, what="a 304 poll")
            assert server.ok == 1
            assert not Notification.objects.exists()  # a 900 cut-off: nobody clears it

            changed_at = time.monotonic()
            server.set(feed(round_dict("3999", crs=900), round_dict("4001", crs=500)))
            wait_until(lambda: smtp.to("a_lawyer1@staff.test"), timeout=90, what="the digest email")
            latency = time.monotonic() - changed_at
            print(f"draw-to-alert latency: {latency:.1f} s")
            out = os.environ.get("ALERT_LATENCY_OUT")
            if out:
                Path(out).write_text(json.dumps({"latency_s": round(latency, 2)}))
            assert latency <= 60, f"digest after {latency:.1f} s"
            text = smtp.to("a_lawyer1@staff.test")[0].get_body(("plain",)).get_content()
            assert "Alice" in text and "Arthur" in text
        finally:
            if beat is not None:
                beat.terminate()
                beat.wait(timeout=15)
            services.stop()
