"""Presentation labels for the pages: the CRS breakdown grouped into sections, outcome names, and
model choice labels marked for translation (the clients' next steps are in `cases.constants.NEXT_STEP`).

The breakdown is stored flat ("age": 110, "first_language.reading": 32, "transferability.total": 50 ...);
`breakdown_sections` groups it for the templates. Model choices keep plain strings; the templates translate
them at render time (`{% translate case.get_status_display %}`), and `LABELS` makes makemessages extract
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy, gettext_noop

# --- CRS breakdown ------------------------------------------------------------------------------------

SECTION_ORDER = ("core", "spouse", "transferability", "additional")
_ABILITY = {
    "listening": gettext_lazy("listening"),
    "reading": gettext_lazy("reading"),
    "writing": gettext_lazy("writing"),
    "speaking": gettext_lazy("speaking"),
}
BREAKDOWN_LABELS: dict[str, Any] = {
    "age": gettext_lazy("Age"),
    "education": gettext_lazy("Level of education"),
    "canadian_work": gettext_lazy("Canadian work experience"),
    "spouse.education": gettext_lazy("Spouse: level of education"),
    "spouse.canadian_work": gettext_lazy("Spouse: Canadian work experience"),
    "transferability.education_language": gettext_lazy("Education and language"),
    "transferability.education_canadian_work": gettext_lazy("Education and Canadian work"),
    "transferability.education": gettext_lazy("Education subtotal (capped)"),
    "transferability.foreign_work_language": gettext_lazy("Foreign work and language"),
    "transferability.foreign_work_canadian_work": gettext_lazy("Foreign work and Canadian work"),
    "transferability.foreign_work": gettext_lazy("Foreign work subtotal (capped)"),
    "transferability.certificate_language": gettext_lazy("Certificate of qualification and language"),
    "additional.nomination": gettext_lazy("Provincial nomination"),
    "additional.job_offer": gettext_lazy("Arranged employment"),
    "additional.canadian_education": gettext_lazy("Canadian education"),
    "additional.french": gettext_lazy("French-language skills"),
    "additional.sibling": gettext_lazy("Brother or sister in Canada"),
}
_LANGUAGE_PREFIX = {
    "first_language": gettext_lazy("First official language"),
    "second_language": gettext_lazy("Second official language"),
    "spouse.first_language": gettext_lazy("Spouse: first official language"),
}


def breakdown_label(key: str) -> str:
    if key in BREAKDOWN_LABELS:
        return str(BREAKDOWN_LABELS[key])
    prefix, _dot, ability = key.rpartition(".")
    if prefix in _LANGUAGE_PREFIX and ability in _ABILITY:
        # Translators: a CRS breakdown row, e.g. "First official language: listening".
        return gettext("%(language)s: %(ability)s") % {
            "language": _LANGUAGE_PREFIX[prefix],
            "ability": _ABILITY[ability],
        }
    return key.rpartition(".")[2].replace("_", " ").capitalize()


def _section_of(key: str) -> str:
    head = key.split(".", 1)[0]
    return head if head in ("spouse", "transferability", "additional") else "core"


@dataclass
class BreakdownSection:
    key: str
    total: int
    items: list[tuple[str, int]] = field(default_factory=list)


def breakdown_sections(score: Any) -> list[BreakdownSection]:
    """A stored score's breakdown as labelled rows per section (totals and uncapped sums left out)."""
    if score is None:
        return []
    sections = {key: BreakdownSection(key, int(getattr(score, key, 0) or 0)) for key in SECTION_ORDER}
    for name, value in (score.breakdown or {}).items():
        key = str(name)
        last = key.rpartition(".")[2]
        if last in ("total", "uncapped") or last.endswith("_uncapped") or not isinstance(value, int | float):
            continue
        sections[_section_of(key)].items.append((breakdown_label(key), int(value)))
    return [s for s in sections.values() if s.items or s.total]


# --- Outcomes -----------------------------------------------------------------------------------------

OUTCOME_LABELS = {
    "eligible": gettext_lazy("Eligible"),
    "needs_information": gettext_lazy("Needs information"),
    "not_eligible": gettext_lazy("Not eligible"),
}


# --- Model choices (extraction only) ------------------------------------------------------------------

LABELS = [
    gettext_noop("Intake"),
    gettext_noop("Assessment"),
    gettext_noop("Collecting documents"),
    gettext_noop("Ready to file"),
    gettext_noop("Filed"),
    gettext_noop("Decision pending"),
    gettext_noop("Approved"),
    gettext_noop("Refused"),
    gettext_noop("Withdrawn"),
    gettext_noop("Closed"),
    gettext_noop("Passport"),
    gettext_noop("Language test results"),
    gettext_noop("Educational credential assessment"),
    gettext_noop("Diploma or transcript"),
    gettext_noop("Employment reference letter"),
    gettext_noop("Job offer letter"),
    gettext_noop("LMIA or LMIA-exempt offer"),
    gettext_noop("Police certificate"),
    gettext_noop("Medical exam"),
    gettext_noop("Proof of funds"),
    gettext_noop("Provincial nomination certificate"),
    gettext_noop("Marriage or common-law proof"),
    gettext_noop("Photo"),
    gettext_noop("Corporate relationship evidence"),
    gettext_noop("Commitment certificate / letter of support"),
    gettext_noop("Business plan"),
    gettext_noop("Other"),
    gettext_noop("Requested"),
    gettext_noop("Uploaded"),
    gettext_noop("Verified"),
    gettext_noop("Rejected"),
    gettext_noop("Expired"),
    gettext_noop("Being scanned for viruses"),
    gettext_noop("Quarantined (virus found)"),
    gettext_noop("Express Entry"),
    gettext_noop("Global Talent Stream"),
    gettext_noop("Intra-company transfer"),
    gettext_noop("CUSMA intra-company transferee"),
    gettext_noop("CUSMA professional"),
    gettext_noop("Start-Up Visa"),
    gettext_noop("Provincial Nominee Program"),
]
