"""iCalendar feeds of deadlines and tasks (RFC 5545, built with the `icalendar` library).

A staff member's feed holds the open deadlines of the cases assigned to them and their open tasks; it is
served to Outlook or Google Calendar at a private URL (`/calendar/<token>.ics`, revocable) and to an
authenticated caller at `GET /api/v1/calendar.ics`. Both read through `restrict(actor)`.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from cases.models import CalendarFeed, Deadline, Task
from firm.errors import PermissionDeniedError
from firm.scoping import Actor, actor_for_user
from firm.services import audit_record

FEED_WINDOW_DAYS_PAST = 90


def feed_items(*, actor: Actor, today: date) -> tuple[list[Deadline], list[Task]]:
    """What the actor's calendar shows: open deadlines of their cases (a firm-wide API key: all of the
    firm's; a client: their own) and, for staff, their own open tasks; the last 90 days and onwards."""
    since = today - timedelta(days=FEED_WINDOW_DAYS_PAST)
    deadlines = (
        Deadline.objects.restrict(actor)
        .filter(done=False, due_on__gte=since)
        .select_related("case", "case__client")
    )
    tasks = Task.objects.none()
    if actor.is_staff:
        deadlines = deadlines.filter(Q(case__assigned_lawyer_id=actor.user_id))
        tasks = Task.objects.restrict(actor).filter(assignee_id=actor.user_id, done=False, due_on__gte=since)
    return list(deadlines.order_by("due_on", "pk")), list(
        tasks.select_related("case").order_by("due_on", "pk")
    )


def calendar_ics(*, actor: Actor, today: date | None = None) -> bytes:
    """The actor's deadlines and tasks as an iCalendar document (all-day events)."""
    today = today or timezone.localdate()
    deadlines, tasks = feed_items(actor=actor, today=today)
    cal = Calendar()
    cal.add("prodid", "-//MapleCase//Deadlines and tasks//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "MapleCase")
    stamp = timezone.now()
    host = getattr(settings, "CALENDAR_UID_DOMAIN", "maplecase")
    for d in deadlines:
        event = Event()
        event.add("uid", f"deadline-{d.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.due_on)
        event.add("dtend", d.due_on + timedelta(days=1))
        event.add("summary", f"{d.label} — {d.case.client.full_name}")
        event.add("description", f"Case #{d.case_id}; deadline kind {d.kind}. {d.source_rule}".strip())
        event.add("categories", ["Deadline"])
        cal.add_component(event)
    for t in tasks:
        event = Event()
        event.add("uid", f"task-{t.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", t.due_on)
        event.add("dtend", t.due_on + timedelta(days=1))
        event.add("summary", f"Task: {t.title}")
        if t.case_id:
            event.add("description", f"Case #{t.case_id}")
        event.add("categories", ["Task"])
        cal.add_component(event)
    return cal.to_ical()


@transaction.atomic
def calendar_feed_issue(*, actor: Actor) -> str:
    """Revoke the staff member's current feed URL and issue a new one; returns the raw token (shown once
    in the URL, stored only hashed)."""
    if not actor.is_staff or actor.user_id is None:
        raise PermissionDeniedError()
    calendar_feed_revoke(actor=actor)
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user_id=actor.user_id, firm_id=actor.firm_id, token_hash=CalendarFeed.hash_token(raw)
    )
    audit_record(actor=actor, action="create", obj=feed)
    return raw


@transaction.atomic
def calendar_feed_revoke(*, actor: Actor) -> int:
    if not actor.is_staff or actor.user_id is None:
        raise PermissionDeniedError()
    now = timezone.now()
    count = CalendarFeed.objects.filter(user_id=actor.user_id, revoked_at__isnull=True).update(revoked_at=now)
    if count:
        audit_record(
            actor=actor, action="revoke", object_type="cases.calendarfeed", object_id=str(actor.user_id)
        )
    return count


def calendar_feed_actor(raw_token: str) -> Actor | None:
    """The staff actor a feed token belongs to, or None (unknown, revoked, or no longer active staff)."""
    if not raw_token or len(raw_token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__membership")
        .filter(token_hash=CalendarFeed.hash_token(raw_token), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    actor = actor_for_user(feed.user)
    if not actor.is_staff or actor.firm_id != feed.firm_id:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return actor


def calendar_feed_active(*, actor: Actor) -> bool:
    return CalendarFeed.objects.filter(user_id=actor.user_id, revoked_at__isnull=True).exists()
