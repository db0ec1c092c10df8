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


# Breakdown rows that stand for one rule-set table: when the score's rule set gives that table no
# points at all (arranged employment since 2025-03-25), the row is a removed factor, not a zero.
_ROW_TABLES = {"additional.job_offer": "arranged_employment"}


def _all_zero(rows: Any) -> bool:
    values = rows.values() if hasattr(rows, "values") else rows
    numbers: list[Any] = []
    for row in values:
        numbers.extend(row if isinstance(row, tuple | list) else [row])
    return all(n == 0 for n in numbers if isinstance(n, int | float) and not isinstance(n, bool))


def removed_factors(rule_set_id: str) -> set[str]:
    """Breakdown keys that the rule set no longer scores (their table is all zeros)."""
    from scoring.crs.rulesets import RULE_SETS_BY_ID

    rules = RULE_SETS_BY_ID.get(rule_set_id)
    if rules is None:
        return set()
    out = set()
    for key, table in _ROW_TABLES.items():
        found = rules.tables.get(table)
        if found is not None and _all_zero(found.rows):
            out.add(key)
    return out


def breakdown_sections(score: Any) -> list[BreakdownSection]:
    """A stored score's breakdown as labelled rows per section (totals and uncapped sums left out).

    Factors the score's rule set no longer awards (arranged employment after 2025-03-25) are left out.
    """
    if score is None:
        return []
    sections = {key: BreakdownSection(key, int(getattr(score, key, 0) or 0)) for key in SECTION_ORDER}
    removed = removed_factors(str(getattr(score, "rule_set", "") or ""))
    for name, value in (score.breakdown or {}).items():
        key = str(name)
        if key in removed:
            continue
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


# --- What-if lines ------------------------------------------------------------------------------------
# The engine (scoring/crs/whatif.py) writes English; each line is rebuilt here from its key and numbers.

_EDUCATION_GOALS = {
    "a secondary school diploma": gettext_lazy("a secondary school diploma"),
    "a one-year post-secondary credential": gettext_lazy("a one-year post-secondary credential"),
    "a two-year post-secondary credential": gettext_lazy("a two-year post-secondary credential"),
    "a bachelor's degree or 3-year program": gettext_lazy("a bachelor's degree or 3-year program"),
    "two or more credentials, one of 3+ years": gettext_lazy("two or more credentials, one of 3+ years"),
    "a master's or professional degree": gettext_lazy("a master's or professional degree"),
    "a doctoral degree (PhD)": gettext_lazy("a doctoral degree (PhD)"),
    "a Canadian post-secondary credential of 1 or 2 years": gettext_lazy(
        "a Canadian post-secondary credential of 1 or 2 years"
    ),
    "a Canadian post-secondary credential of 3 years or more": gettext_lazy(
        "a Canadian post-secondary credential of 3 years or more"
    ),
}
_FIXED_WHATIF = {
    "provincial_nomination": gettext_lazy("A provincial or territorial nomination"),
    "certificate_of_qualification": gettext_lazy("A Canadian certificate of qualification in a trade"),
    "sibling_in_canada": gettext_lazy("A brother or sister in Canada (citizen or PR, 18+)"),
    "arranged_employment": gettext_lazy("A valid TEER 0-3 job offer"),
    "spouse.first_language": gettext_lazy("Spouse reaches CLB 9 in all four abilities"),
}


def _number(text: str) -> int:
    import re

    found = re.search(r"(\d+)", text)
    return int(found[1]) if found else 0


def whatif_label(key: str, english: str) -> str:
    """One what-if line in the active language (the engine's English when the key is unknown)."""
    import re

    from django.utils.translation import ngettext

    if key in _FIXED_WHATIF:
        return str(_FIXED_WHATIF[key])
    if key.startswith("first_language."):
        found = re.fullmatch(r"(CLB|NCLC) (\d+) in (\w+)", english)
        if found and found[3] in _ABILITY:
            return gettext("%(scale)s %(level)s in %(ability)s") % {
                "scale": found[1],
                "level": found[2],
                "ability": _ABILITY[found[3]],
            }
    if key.startswith("second_language."):
        found = re.fullmatch(
            r"(Take a|Reach) (English|French) test at (CLB|NCLC) (\d+) in all four abilities", english
        )
        if found:
            values = {"scale": found[3], "level": found[4]}
            if found[2] == "French":
                text = (
                    gettext("Take a French test at %(scale)s %(level)s in all four abilities")
                    if found[1] == "Take a"
                    else gettext("Reach %(scale)s %(level)s in French in all four abilities")
                )
            else:
                text = (
                    gettext("Take an English test at %(scale)s %(level)s in all four abilities")
                    if found[1] == "Take a"
                    else gettext("Reach %(scale)s %(level)s in English in all four abilities")
                )
            return text % values
    n = _number(english)
    if key == "canadian_work_years":
        return ngettext("%(n)d year of skilled Canadian work", "%(n)d years of skilled Canadian work", n) % {
            "n": n
        }
    if key == "foreign_work_years":
        return ngettext("%(n)d year of skilled foreign work", "%(n)d years of skilled foreign work", n) % {
            "n": n
        }
    if key == "spouse.canadian_work_years":
        return ngettext("Spouse: %(n)d year of Canadian work", "Spouse: %(n)d years of Canadian work", n) % {
            "n": n
        }
    if key == "education" or key.startswith("canadian_education."):
        goal = english.removeprefix("Complete ")
        if goal in _EDUCATION_GOALS:
            return gettext("Complete %(credential)s") % {"credential": _EDUCATION_GOALS[goal]}
    return english
