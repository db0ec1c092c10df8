"""The filing guard (lawyer/admin only, required documents verified or an audited override), tasks
(API, case page, dashboard, morning digest) and the calendar (API and private revocable feed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from cases.models import CalendarFeed, Deadline, Document, Task
from cases.reminders import staff_digests_queue
from firm.models import AuditEvent
from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


def _ready(case, *, verified: bool) -> Document:
    case.status = "ready_to_file"
    case.save()
    return Document.objects.create(
        firm=case.firm,
        case=case,
        kind="passport",
        label="Passport",
        required=True,
        status="verified" if verified else "requested",
        checklist_key="express_entry:cec:passport",
    )


def test_a_paralegal_cannot_file(world, api):
    _ready(world.case, verified=True)
    r = api(world.paralegal).post(f"/api/v1/cases/{world.case.pk}/transition/", {"status": "filed"})
    assert r.status_code == 403
    world.case.refresh_from_db()
    assert world.case.status == "ready_to_file"


def test_filing_needs_every_required_document_verified_or_an_audited_override(world, api):
    doc = _ready(world.case, verified=False)
    lawyer = api(world.lawyer)
    r = lawyer.post(f"/api/v1/cases/{world.case.pk}/transition/", {"status": "filed"})
    assert r.status_code == 400 and "Passport" in str(r.json()) and "status" in str(r.json())
    r = lawyer.post(
        f"/api/v1/cases/{world.case.pk}/transition/",
        {"status": "filed", "override_reason": "Officer accepted the expired passport by email"},
    )
    assert r.status_code == 200 and r.json()["status"] == "filed"
    event = AuditEvent.objects.get(action="file_override")
    assert event.changes["unverified_documents"] == [doc.pk] and "Officer" in event.changes["reason"]
    assert event.actor_id == world.lawyer.pk


def test_filing_with_everything_verified_needs_no_override(world, api):
    _ready(world.case, verified=True)
    r = api(world.admin).post(f"/api/v1/cases/{world.case.pk}/transition/", {"status": "filed"})
    assert r.status_code == 200 and r.json()["status"] == "filed"
    assert not AuditEvent.objects.filter(action="file_override").exists()


def test_case_page_hides_filing_from_a_paralegal_and_explains_the_guard(world, client):
    _ready(world.case, verified=False)
    client.force_login(world.paralegal)
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert 'value="filed"' not in html and 'id="filing-guard"' in html
    refused = client.post(f"/cases/{world.case.pk}/transition/", {"to_status": "filed"})
    assert refused.status_code in (400, 403)
    world.case.refresh_from_db()
    assert world.case.status == "ready_to_file"
    client.force_login(world.lawyer)
    html = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert 'value="filed"' in html and 'name="override_reason"' in html
    r = client.post(f"/cases/{world.case.pk}/transition/", {"to_status": "filed"})
    assert r.status_code == 400 and "not verified" in r.content.decode()
    r = client.post(
        f"/cases/{world.case.pk}/transition/", {"to_status": "filed", "override_reason": "IRCC waived it"}
    )
    assert r.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == "filed"


# --- Tasks ----------------------------------------------------------------------------------------------


def test_tasks_api_assign_list_mine_and_complete(world, api):
    today = timezone.localdate()
    lawyer = api(world.lawyer)
    r = lawyer.post(
        "/api/v1/tasks/",
        {
            "title": "Order FBI check",
            "assignee": world.paralegal.pk,
            "due_on": today.isoformat(),
            "case": world.case.pk,
        },
    )
    assert r.status_code == 201, r.content
    task_id = r.json()["id"]
    assert r.json()["assignee_email"] == world.paralegal.email
    para = api(world.paralegal)
    mine = para.get(
        "/api/v1/tasks/", {"mine": "true", "done": "false", "due_before": today.isoformat()}
    ).json()["results"]
    assert [t["id"] for t in mine] == [task_id]
    assert lawyer.get("/api/v1/tasks/", {"mine": "true"}).json()["results"] == []
    r = para.patch(f"/api/v1/tasks/{task_id}/", {"done": True}, format="json")
    assert r.status_code == 200 and r.json()["done"] is True and r.json()["done_at"]
    bad = lawyer.post(
        "/api/v1/tasks/", {"title": "x", "assignee": world.other_lawyer.pk, "due_on": today.isoformat()}
    )
    assert bad.status_code == 400 and "assignee" in bad.json().get("errors", bad.json()).__str__()
    bad = lawyer.post("/api/v1/tasks/", {"title": "x", "assignee": world.lawyer.pk, "due_on": "2026-13-01"})
    assert bad.status_code == 400 and "due_on" in str(bad.json())
    assert api(world.other_lawyer).get(f"/api/v1/tasks/{task_id}/").status_code == 404


def test_tasks_on_the_case_page_and_the_dashboard(world, client):
    today = timezone.localdate()
    client.force_login(world.lawyer)
    r = client.post(
        f"/cases/{world.case.pk}/tasks/new/",
        {
            "task-title": "Call the employer",
            "task-assignee": world.lawyer.pk,
            "task-due_on": (today - timedelta(days=2)).isoformat(),
        },
    )
    assert r.status_code == 302
    Task.objects.create(
        firm=world.firm, title="Next month", assignee=world.lawyer, due_on=today + timedelta(days=30)
    )
    Task.objects.create(firm=world.firm, title="Paralegal's own", assignee=world.paralegal, due_on=today)
    assert "Call the employer" in client.get(f"/cases/{world.case.pk}/").content.decode()
    home = client.get("/").content.decode()
    section = home.split('id="my-tasks"')[1].split("</section>")[0]
    assert (
        "Call the employer" in section
        and "Next month" not in section
        and "Paralegal&#x27;s own" not in section
    )
    task = Task.objects.get(title="Call the employer")
    client.post(f"/tasks/{task.pk}/done/", {"done": "1", "next": "home"})
    task.refresh_from_db()
    assert task.done


def test_morning_digest_lists_my_tasks_and_deadlines_once(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    Task.objects.create(
        firm=world.firm, title="File the e-APR", assignee=world.lawyer, due_on=today - timedelta(days=1)
    )
    Deadline.objects.create(
        case=world.case,
        kind="ee_apr_due",
        label="Submit the complete permanent residence application (60 days after the ITA)",
        due_on=today + timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_digests_queue(today=today) == 1
    assert staff_digests_queue(today=today) == 0  # once a day
    row = Notification.objects.get(kind="staff_digest")
    assert row.recipient_email == world.lawyer.email
    assert row.status == "sent" or notification_send(notification_id=row.pk)
    (message,) = mail.outbox
    assert "File the e-APR" in message.body and "overdue" in message.body
    assert f"/cases/{world.case.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "File the e-APR" in html and "href=" in html


# --- Calendar -----------------------------------------------------------------------------------------------


def _events(body: bytes) -> dict[str, str]:
    cal = Calendar.from_ical(body)
    return {str(e["uid"]): str(e["summary"]) for e in cal.walk("VEVENT")}


def test_calendar_ics_api_is_the_callers_own_and_scoped(world, api):
    today = timezone.localdate()
    mine = Deadline.objects.create(
        case=world.case, kind="biometrics_due", label="Give biometrics", due_on=today + timedelta(days=5)
    )
    Deadline.objects.create(case=world.other_case, kind="x", label="Other firm's", due_on=today)
    task = Task.objects.create(firm=world.firm, title="Prepare forms", assignee=world.lawyer, due_on=today)
    Task.objects.create(firm=world.firm, title="Not mine", assignee=world.paralegal, due_on=today)
    r = api(world.lawyer).get("/api/v1/calendar.ics", HTTP_ACCEPT="text/calendar")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    events = _events(r.content)
    assert set(events) == {f"deadline-{mine.pk}@maplecase", f"task-{task.pk}@maplecase"}
    assert "Priya Sharma" in events[f"deadline-{mine.pk}@maplecase"]
    assert _events(api(world.other_lawyer).get("/api/v1/calendar.ics").content).keys().isdisjoint(events)
    assert api().get("/api/v1/calendar.ics").status_code in (401, 403)


def test_private_feed_url_issue_use_and_revoke(world, client):
    today = timezone.localdate()
    d = Deadline.objects.create(case=world.case, kind="medical_due", label="Medical", due_on=today)
    client.force_login(world.lawyer)
    page = client.post("/account/calendar/", {"action": "issue"})
    html = page.content.decode()
    url = html.split('id="feed-url" readonly value="')[1].split('"')[0]
    path = url.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    feed = client.get("/" + path)
    assert feed.status_code == 200 and f"deadline-{d.pk}@maplecase" in _events(feed.content)
    client.force_login(world.lawyer)
    client.post("/account/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get("/" + path).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None
    assert client.get("/calendar/not-a-token.ics").status_code == 404
