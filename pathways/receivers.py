"""What pathways does when a lower layer publishes a change (connected in PathwaysConfig.ready).

* A client's facts changed (firm.events.client_facts_changed): recompute the CRS score, *then*
  re-assess the client's open cases: a Celery chain, so the Express Entry assessment reads the score and
  eligibility the recompute just stored.
* A case was opened or changed (cases.events.case_changed): assess it.
* The case facts a case may carry are checked by the pathway rules' parser (registered with cases).
"""

from __future__ import annotations

from typing import Any

from celery import chain

from cases import events as case_events
from firm import events as firm_events
from pathways import tasks as pathway_tasks
from pathways.case_facts import case_facts_errors
from scoring import tasks as scoring_tasks


def on_client_facts_changed(sender: Any, *, client_id: int, **kwargs: Any) -> None:
    chain(
        scoring_tasks.client_recompute_task.si(client_id),
        pathway_tasks.client_cases_assess_task.si(client_id),
    ).delay()


def on_case_changed(sender: Any, *, case_id: int, **kwargs: Any) -> None:
    pathway_tasks.case_assess_task.delay(case_id)


def receivers_connect() -> None:
    firm_events.client_facts_changed.connect(on_client_facts_changed, dispatch_uid="pathways.facts")
    case_events.case_changed.connect(on_case_changed, dispatch_uid="pathways.case")
    case_events.facts_validator_register(case_facts_errors)
