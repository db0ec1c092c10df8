import pytest
from django.core import mail
from scoring.models import Draw, DrawMatch, Notification
from scoring.services.draws import draws_sync_snapshot, draws_upsert, draw_flag
from tests.scoring.django_draws.conftest import feed, round_dict, TIE_BREAK
from datetime import timedelta

def test_smoke(world, django_capture_on_commit_callbacks):
    r = draws_sync_snapshot()
    print(r.summary(), r.problems[:3], r.unknown)
    assert Draw.objects.count() == 301
    c1 = world.client("a", "Above", 510, lawyer="a_lawyer1", profile_at=TIE_BREAK - timedelta(days=1))
    c2 = world.client("a", "Tie", 500, lawyer="a_lawyer1", profile_at=TIE_BREAK - timedelta(days=1))
    c3 = world.client("b", "Unassigned", 520)
    with django_capture_on_commit_callbacks(execute=True):
        r = draws_upsert(data=feed(round_dict("999")), source="t")
    print(r.summary(), r.to_flag)
    print(list(DrawMatch.objects.values_list("client__first_name", "in_pool", "by_tie_break", "lawyer_id")))
    print(list(Notification.objects.values_list("kind", "recipient_email", "status", "dedupe_key", "payload", "last_error")))
    for m in mail.outbox:
        print(m.subject); print(m.body)
