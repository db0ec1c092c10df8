"""What-if: single improvements to a profile and the points each adds."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from scoring.crs.contract import calculate, profile_from_payload
from scoring.crs.engine import ABILITIES, CRSProfile, score
from scoring.crs.rulesets import (
    CANADIAN_EDUCATION_LEVELS,
    EDUCATION_LEVELS,
    RuleSet,
    ruleset_by_id,
)

_EDU_LABEL = {
    "secondary": "a secondary school diploma",
    "one_year": "a one-year post-secondary credential",
    "two_year": "a two-year post-secondary credential",
    "bachelors": "a bachelor's degree or 3-year program",
    "two_or_more": "two or more credentials, one of 3+ years",
    "masters": "a master's or professional degree",
    "phd": "a doctoral degree (PhD)",
}
_CDN_EDU_LABEL = {
    "one_or_two_year": "a Canadian post-secondary credential of 1 or 2 years",
    "three_year_or_more": "a Canadian post-secondary credential of 3 years or more",
}
TOP_LEVEL = 10  # no CRS table pays more above CLB/NCLC 10
MAX_YEARS = 80


@dataclass(frozen=True, slots=True)
class Improvement:
    key: str
    label: str
    new_total: int
    delta: int


def _scale(code: str) -> str:
    return "NCLC" if code == "fr" else "CLB"


def education_with_canadian_credential(current: str, canadian: str) -> str:
    """The education level a client holds once they complete a Canadian credential of ``canadian`` length.

    A new credential is also a credential for the education factor: a 1-2 year one is at least a one-year
    credential, a 3+ year one at least a 3-year program (bachelor's level), and a second credential next to
    an existing post-secondary one makes "two or more, one of 3+ years" when either is 3+ years.
    """
    rank = EDUCATION_LEVELS.index
    floor = "bachelors" if canadian == "three_year_or_more" else "one_year"
    post_secondary = rank("one_year") <= rank(current) <= rank("bachelors")
    if post_secondary and (canadian == "three_year_or_more" or current == "bachelors"):
        return max(current, "two_or_more", key=rank)
    return max(current, floor, key=rank)


def improvements(profile: CRSProfile, rules: RuleSet) -> list[Improvement]:
    """Each possible single improvement with its new total and the points it adds (delta >= 0).

    Every line is the FULL score difference of the changed profile: an improvement changes every factor it
    implies (a Canadian credential also raises the education level), and the whole profile is re-scored.
    """
    base = score(profile, rules).total
    out: list[Improvement] = []

    def add(key: str, label: str, **changes: Any) -> None:
        new = score(dataclasses.replace(profile, **changes), rules).total
        out.append(Improvement(key, label, new, new - base))

    fl = profile.first_language
    scale = _scale(profile.first_language_code)
    for i, ability in enumerate(ABILITIES):
        if fl[i] < TOP_LEVEL:
            level = max(fl[i] + 1, 4)
            levels = list(fl)
            levels[i] = level
            add(f"first_language.{ability}", f"{scale} {level} in {ability}", first_language=tuple(levels))

    other_code = "en" if profile.first_language_code == "fr" else "fr"
    other_scale = _scale(other_code)
    other_name = "English" if other_code == "en" else "French"
    current = profile.second_language
    for level in (7, 9):
        if current is None or min(current) < level:
            target = tuple(max(c, level) for c in current) if current else (level,) * 4
            verb = "Take a" if current is None else "Reach"
            add(
                f"second_language.{other_scale.lower()}_{level}",
                f"{verb} {other_name} test at {other_scale} {level} in all four abilities",
                second_language=target,
            )

    if profile.canadian_work_years < MAX_YEARS:
        n = profile.canadian_work_years + 1
        add(
            "canadian_work_years",
            f"{n} year{'s' if n > 1 else ''} of skilled Canadian work",
            canadian_work_years=n,
        )
    if profile.foreign_work_years < MAX_YEARS:
        n = profile.foreign_work_years + 1
        add(
            "foreign_work_years",
            f"{n} year{'s' if n > 1 else ''} of skilled foreign work",
            foreign_work_years=n,
        )
    _education_and_status_improvements(profile, add)
    if not profile.sibling:
        add("sibling_in_canada", "A brother or sister in Canada (citizen or PR, 18+)", sibling=True)
    if profile.arranged_employment == "none":
        ae = rules.tables["arranged_employment"].rows
        if ae["other_teer_0_1_2_3"][0] > 0:
            add("arranged_employment", "A valid TEER 0-3 job offer", arranged_employment="other_teer_0_1_2_3")
    if profile.with_spouse:
        sp = profile.spouse_language
        if sp is None or min(sp) < 9:
            target = tuple(max(c, 9) for c in sp) if sp else (9,) * 4
            add("spouse.first_language", "Spouse reaches CLB 9 in all four abilities", spouse_language=target)
        if profile.spouse_canadian_work_years < MAX_YEARS:
            n = profile.spouse_canadian_work_years + 1
            add(
                "spouse.canadian_work_years",
                f"Spouse: {n} year{'s' if n > 1 else ''} of Canadian work",
                spouse_canadian_work_years=n,
            )
    return out


def _education_and_status_improvements(profile: CRSProfile, add: Callable[..., None]) -> None:
    """Education, Canadian credential (with the education level it implies), nomination, trade certificate."""
    idx = EDUCATION_LEVELS.index(profile.education)
    if idx + 1 < len(EDUCATION_LEVELS):
        nxt = EDUCATION_LEVELS[idx + 1]
        add("education", f"Complete {_EDU_LABEL[nxt]}", education=nxt)
    cidx = CANADIAN_EDUCATION_LEVELS.index(profile.canadian_education)
    for nxt in CANADIAN_EDUCATION_LEVELS[cidx + 1 :]:
        level = education_with_canadian_credential(profile.education, nxt)
        label = f"Complete {_CDN_EDU_LABEL[nxt]}"
        if level != profile.education:
            label += f" (education then counts as {_EDU_LABEL[level]})"
        add(f"canadian_education.{nxt}", label, canadian_education=nxt, education=level)
    if not profile.nomination:
        add("provincial_nomination", "A provincial or territorial nomination", nomination=True)
    if not profile.certificate_of_qualification:
        add(
            "certificate_of_qualification",
            "A Canadian certificate of qualification in a trade",
            certificate_of_qualification=True,
        )


def whatif(payload: Any, *, today: date | None = None) -> dict[str, Any]:
    """What-if for a calculator payload: ``{"total", "rule_set", "as_of", "improvements": [...]}`` or ``{"error": ...}``."""
    profile, errors = profile_from_payload(payload, today=today)
    if profile is None:
        return {"error": errors}
    out = calculate(payload, today=today)
    rules = ruleset_by_id(out["rule_set"])
    items = improvements(profile, rules)
    return {
        "total": out["total"],
        "rule_set": out["rule_set"],
        "as_of": out["as_of"],
        "improvements": [
            {"key": i.key, "label": i.label, "new_total": i.new_total, "delta": i.delta}
            for i in sorted(items, key=lambda i: -i.delta)
        ],
    }
