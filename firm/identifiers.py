"""Sensitive identifiers: their formats (rule data in firm/data/identifiers.json), validation, masking.

The UCI, IRCC application numbers, the LMIA file number, the PNP file number, the Express Entry profile
number and job-seeker validation code, and status-document numbers are sensitive: lists show them masked
(`mask`), audit rows store them masked (`firm.services.audit_record` calls `redact`), and nothing logs
them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

DATA = Path(__file__).resolve().parent / "data" / "identifiers.json"

# Model field names holding a sensitive identifier (on Client, Case, FamilyMember, StatusDocument).
SENSITIVE_FIELDS = frozenset(
    {
        "uci",
        "ircc_application_number",
        "work_permit_application_number",
        "esdc_file_number",
        "pnp_file_number",
        "ee_profile_number",
        "ee_job_seeker_code",
        "number",
    }
)


@cache
def identifier_rules() -> dict[str, dict[str, Any]]:
    """The identifier formats in force (one version today; kept as data with sources)."""
    data = json.loads(DATA.read_text())
    return dict(data["versions"][-1]["facts"])


def normalize(kind: str, value: str) -> str:
    """Trim and upper-case an identifier; raise a ValidationError naming the expected format."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    rule = identifier_rules()[kind]
    if not re.fullmatch(rule["pattern"], value):
        raise ValidationError(f"Not a valid {rule['label']}: {rule['help']} For example {rule['example']}.")
    return value


@deconstructible
class IdentifierValidator:
    """A model-field validator for one identifier kind (deconstructible, so migrations can name it)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, value: str) -> None:
        if value:
            normalize(self.kind, value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdentifierValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


def mask(value: str | None) -> str:
    """`E099977028` -> `••••••7028`: enough to recognise, not enough to use."""
    if not value:
        return ""
    keep = 4 if len(value) > 6 else 2
    return "•" * (len(value) - keep) + value[-keep:]


def redact(name: str, value: Any) -> Any:
    """The value to store in an audit row or log line for field `name`."""
    if name in SENSITIVE_FIELDS and isinstance(value, str) and value:
        return mask(value)
    return value
