"""What pathways does when a lower layer publishes a change (connected in PathwaysConfig.ready).

* A client's facts changed (firm.events.client_facts_changed): one `client_refresh_task` recomputes the
  CRS score, *then* re-assesses the client's open cases (the Express Entry assessment reads the score
  and eligibility just stored), then clears the client's "facts changed" mark; a beat sweeper
  re-enqueues clients whose task was lost with a killed worker (pathways/refresh.py).
* A case was opened or changed (cases.events.case_changed): assess it.
* The case facts a case may carry are checked by the pathway rules' parser (registered with cases).
"""

from __future__ import annotations

from typing import Any

from cases import events as case_events
from firm import events as firm_events
from pathways import tasks as pathway_tasks
from pathways.case_facts import case_facts_errors


def on_client_facts_changed(sender: Any, *, client_id: int, **kwargs: Any) -> None:
    pathway_tasks.client_refresh_task.delay(client_id)


def on_case_changed(sender: Any, *, case_id: int, **kwargs: Any) -> None:
    pathway_tasks.case_assess_task.delay(case_id)


def receivers_connect() -> None:
    firm_events.client_facts_changed.connect(on_client_facts_changed, dispatch_uid="pathways.facts")
    case_events.case_changed.connect(on_case_changed, dispatch_uid="pathways.case")
    case_events.facts_validator_register(case_facts_errors)
