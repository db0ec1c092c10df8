"""Events and extension points of the cases app for the apps above it. Cases never imports pathways or
scoring: a change that needs a re-assessment is published here (after commit) and pathways subscribes;
the rules that read a case's own facts register their validator here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

# A case was opened or its pathway, stream or facts changed. Sent after commit with `case_id`.
case_changed = Signal()

# An uploaded file waits for its virus scan (cases.scanning). Sent after commit with `document_id`;
# cases.receivers enqueues the scan task.
document_scan_requested = Signal()

FactsValidator = Callable[[Any], dict[str, str]]
_facts_validators: list[FactsValidator] = []


def facts_validator_register(validator: FactsValidator) -> None:
    """Add a check of a case's `facts` JSON: it returns {field path: message} for each problem."""
    if validator not in _facts_validators:
        _facts_validators.append(validator)


def case_facts_errors(facts: Any) -> dict[str, str]:
    """Every registered validator's errors for these case facts (empty: valid)."""
    errors: dict[str, str] = {}
    for validator in _facts_validators:
        errors.update(validator(facts))
    return errors
