"""A client whose facts changed gets a score and assessments even when the worker running the recompute
is SIGKILLed mid-task: a real Redis broker, real Celery workers (subprocesses) and PostgreSQL.

The first worker is caught inside `client_refresh_task` (it waits for the client's refresh lock, which
the test holds) and killed; its message stays unacknowledged in Redis (one-hour visibility timeout). A
second worker runs the sweeper (the beat task), which re-enqueues the still-marked client; the score and
the assessments arrive and the mark is cleared.
"""

from __future__ import annotations

from datetime import date, timedelta

import psycopg
import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import Case
from firm.models import Client
from pathways.models import PathwayAssessment
from pathways.refresh import REFRESH_LOCK_NAMESPACE
from scoring.models import CRSScore
from tests import factories as f
from tests.scoring.django_draws.test_draws_worker import database_url, services, wait_until  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.timeout(180)]


def prospect() -> Client:
    firm = f.FirmFactory(slug="refresh-firm")
    lawyer = f.staff_user(firm, "lawyer")
    client = f.ClientFactory(firm=firm, assigned_lawyer=lawyer, date_of_birth=date(1994, 3, 2))
    f.LanguageTestFactory(client=client)
    f.EducationFactory(client=client)
    f.WorkExperienceFactory(client=client)
    f.CaseFactory(client=client, pathway="express_entry")
    Client.objects.filter(pk=client.pk).update(facts_changed_at=timezone.now() - timedelta(minutes=1))
    return client


def test_the_sweeper_is_scheduled_well_within_ten_minutes() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-client-refreshes"]
    assert entry["task"] == "pathways.tasks.clients_refresh_sweep_task"
    worst = float(entry["schedule"]) + settings.CLIENT_REFRESH_SWEEP_AFTER_SECONDS
    assert worst <= 8 * 60


def test_a_killed_worker_does_not_lose_the_recompute(services) -> None:  # noqa: F811
    client = prospect()
    case = Case.objects.get(client=client)
    assert not CRSScore.objects.filter(client=client).exists()
    services.env["CLIENT_REFRESH_SWEEP_AFTER_SECONDS"] = "0"
    with psycopg.connect(database_url()) as holder:  # the test holds the client's refresh lock
        holder.execute("SELECT pg_advisory_lock(%s, %s)", [REFRESH_LOCK_NAMESPACE, client.pk])
        first = services.start_worker()
        services.send_task("pathways.tasks.client_refresh_task", client_id=client.pk)

        def worker_waits_on_the_lock() -> bool:
            row = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
                [client.pk],
            ).fetchone()
            return bool(row and row[0])

        wait_until(worker_waits_on_the_lock, timeout=40, what="the worker inside the task")
        services.kill(first)  # SIGKILL mid-task: the message stays unacknowledged in Redis
        holder.execute("SELECT pg_advisory_unlock(%s, %s)", [REFRESH_LOCK_NAMESPACE, client.pk])
    assert Client.objects.get(pk=client.pk).facts_changed_at is not None
    assert not CRSScore.objects.filter(client=client).exists()

    services.start_worker()
    services.send_task("pathways.tasks.clients_refresh_sweep_task")  # what beat sends every 2 minutes
    wait_until(
        lambda: Client.objects.get(pk=client.pk).facts_changed_at is None,
        timeout=60,
        what="the sweeper's recompute",
    )
    assert CRSScore.objects.filter(client=client, is_current=True).exists()
    assert PathwayAssessment.objects.filter(case=case).exists()
