"""Events the core publishes for the apps above it (they subscribe in their AppConfig.ready). The core
never imports an upper app: it says what happened, and the subscribers decide what follows.

* `client_facts_changed`: sent after commit with `client_id` (scoring and pathways recompute).
* Domain events for the firm's integrations (`publish` / `publish_many`): a service calls them *inside*
  the transaction that makes the change. Receivers of `event_published` run in that same transaction, so
  whatever they write (a webhook outbox row) exists if and only if the change committed; anything they
  send goes out after commit.

To add a domain event type: add it to EVENT_TYPES with a label, then publish it from the service that
makes the change (for example issue 14's milestones: `publish(firm_id=..., event_type="milestone.recorded",
data={"milestone_id": ..., "case_id": ..., "client_id": ..., "kind": ..., "occurred_on": ...})`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A client's stored facts (identity, family, language results, education, work, job offer, nominations,
# funds) changed. Sent after commit with `client_id`.
client_facts_changed = Signal()

EVENT_TYPES: dict[str, Any] = {
    "intake.received": _("An intake form was received"),
    "client.created": _("A client was created"),
    "case.status_changed": _("A case changed status"),
    "milestone.recorded": _("A case milestone was recorded"),
    "document.uploaded": _("A document was uploaded"),
    "document.reviewed": _("A document was reviewed"),
    "deadline.due_soon": _("A deadline is due soon"),
    "draw.flagged": _("A draw flagged a client"),
    "score.changed": _("A client's CRS score changed"),
}

# Receivers get `events` (a list of Event). They must not raise for a missing subscriber.
event_published = Signal()


@dataclass(frozen=True)
class Event:
    """What happened: ids and the changed fields only (never a document's contents)."""

    type: str
    firm_id: int
    data: dict[str, Any]
    occurred_at: datetime = field(default_factory=timezone.now)
    # Optional: an event with the same key for the same firm is recorded only once (e.g. one
    # `deadline.due_soon` per deadline and due date, however often the daily task runs).
    dedupe_key: str = ""


def publish_many(events: Iterable[Event]) -> None:
    events = [e for e in events if e.firm_id]
    for event in events:
        if event.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {event.type!r}")
    if events:
        event_published.send(sender=Event, events=events)


def publish(*, firm_id: int | None, event_type: str, data: dict[str, Any], dedupe_key: str = "") -> None:
    """Announce one event (call inside the transaction of the change)."""
    if firm_id:
        publish_many([Event(type=event_type, firm_id=firm_id, data=data, dedupe_key=dedupe_key)])
