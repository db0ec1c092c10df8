"""The calculator JSON contract: ``calculate(payload, today=...) -> dict``.

Never raises for bad input: returns ``{"error": {"<field path>": "<message>", ...}}`` instead.
On success returns ``{"total", "rule_set", "sections", "breakdown", "as_of", "clb"}``.

Input (all keys optional unless noted)::

    as_of                ISO date; default today. Picks the rule set and computes age.
    age | date_of_birth  exactly one is required.
    marital_status       single|married|common_law|separated|divorced|widowed|annulled (default single)
    spouse_accompanying  bool, required when married or common_law
    spouse_canadian      bool (spouse is a citizen/PR: scored as single)
    education            none|secondary|one_year|two_year|bachelors|two_or_more|masters|phd (required)
    first_language       {"test", "listening", "reading", "writing", "speaking", "test_date"?} (required)
    second_language      null or the same shape, in the other official language
    canadian_work_years, foreign_work_years   int >= 0
    certificate_of_qualification, provincial_nomination, sibling_in_canada   bool
    canadian_education   none|one_or_two_year|three_year_or_more
    arranged_employment  none|teer_0_major_group_00|other_teer_0_1_2_3
    spouse               {"education", "first_language", "canadian_work_years"} (scored only when the
                         spouse is accompanying and not Canadian)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scoring.crs.dates import age_on
from scoring.crs.engine import CRSProfile, score
from scoring.crs.language import ABILITIES, TESTS, LanguageScoreError, convert, official_language
from scoring.crs.rulesets import (
    ARRANGED_EMPLOYMENT_LEVELS,
    CANADIAN_EDUCATION_LEVELS,
    EDUCATION_LEVELS,
    NoRuleSetError,
    ruleset_for,
)

MARITAL_STATUSES: tuple[str, ...] = (
    "single",
    "married",
    "common_law",
    "separated",
    "divorced",
    "widowed",
    "annulled",
)
PARTNERED: frozenset[str] = frozenset({"married", "common_law"})

TOP_LEVEL_KEYS: frozenset[str] = frozenset(
    {
        "as_of",
        "age",
        "date_of_birth",
        "marital_status",
        "spouse_accompanying",
        "spouse_canadian",
        "education",
        "first_language",
        "second_language",
        "canadian_work_years",
        "foreign_work_years",
        "certificate_of_qualification",
        "canadian_education",
        "arranged_employment",
        "provincial_nomination",
        "sibling_in_canada",
        "spouse",
    }
)
LANGUAGE_KEYS: frozenset[str] = frozenset({"test", *ABILITIES, "test_date"})
SPOUSE_KEYS: frozenset[str] = frozenset({"education", "first_language", "canadian_work_years"})

MAX_AGE = 130
MAX_YEARS = 80


class _Errors(dict[str, str]):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, message)


def _parse_date(value: Any, path: str, errors: _Errors) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        errors.add(path, "must be a date string YYYY-MM-DD")
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        errors.add(path, "must be a valid date YYYY-MM-DD")
        return None


def _int(payload: dict[str, Any], key: str, path: str, errors: _Errors, *, default: int, maximum: int) -> int:
    value = payload.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(path, "must be a whole number")
        return default
    if value < 0:
        errors.add(path, "must not be negative")
        return default
    if value > maximum:
        errors.add(path, f"must be at most {maximum}")
        return default
    return int(value)


def _bool(payload: dict[str, Any], key: str, path: str, errors: _Errors) -> bool:
    value = payload.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        errors.add(path, "must be true or false")
        return False
    return value


def _enum(
    payload: dict[str, Any],
    key: str,
    path: str,
    errors: _Errors,
    choices: tuple[str, ...],
    default: str | None,
) -> str:
    value = payload.get(key, default)
    if value is None:
        if default is None:
            errors.add(path, "is required")
            return choices[0]
        return default
    if not isinstance(value, str) or value not in choices:
        errors.add(path, f"must be one of: {', '.join(choices)}")
        return choices[0]
    return value


def _language(
    value: Any, path: str, errors: _Errors, as_of: date | None
) -> tuple[tuple[int, int, int, int], str, dict[str, Any]] | None:
    """Validate one language result; return (levels, 'en'|'fr', clb json) or None after adding errors."""
    if not isinstance(value, dict):
        errors.add(path, "must be an object with test, listening, reading, writing, speaking")
        return None
    ok = True
    for key in value:
        if key not in LANGUAGE_KEYS:
            errors.add(f"{path}.{key}", "unknown field")
            ok = False
    test = value.get("test")
    if not isinstance(test, str) or test not in TESTS:
        errors.add(f"{path}.test", f"must be one of: {', '.join(TESTS)}")
        return None
    test_date: date | None = None
    if value.get("test_date") is not None:
        test_date = _parse_date(value["test_date"], f"{path}.test_date", errors)
        if test_date is None:
            return None
        if as_of is not None and test_date > as_of:
            errors.add(f"{path}.test_date", "must not be after as_of")
            ok = False
    try:
        levels = convert(test, value, test_date)
    except LanguageScoreError as exc:
        errors.add(f"{path}.{exc.ability}", exc.message)
        return None
    if not ok:
        return None
    lang = official_language(test)
    clb: dict[str, Any] = {"test": test, "language": lang, "scale": "nclc" if lang == "fr" else "clb"}
    clb.update(zip(ABILITIES, levels, strict=True))
    return levels, lang, clb


def calculate(payload: Any, *, today: date | None = None) -> dict[str, Any]:
    """Validate a calculator payload and score it. Never raises for bad input."""
    try:
        return _calculate(payload, today)
    except Exception:
        return {"error": {"payload": "could not be scored"}}


def _calculate(payload: Any, today: date | None) -> dict[str, Any]:
    errors = _Errors()
    if not isinstance(payload, dict):
        return {"error": {"payload": "must be a JSON object"}}
    for key in payload:
        if key not in TOP_LEVEL_KEYS:
            errors.add(str(key), "unknown field")

    # as_of and the rule set
    as_of: date | None = today or date.today()  # noqa: DTZ011 - a calendar date, no time zone
    if payload.get("as_of") is not None:
        as_of = _parse_date(payload["as_of"], "as_of", errors)
    rules = None
    if as_of is not None:
        try:
            rules = ruleset_for(as_of)
        except NoRuleSetError as exc:
            errors.add("as_of", str(exc))

    # age
    has_age = payload.get("age") is not None
    has_dob = payload.get("date_of_birth") is not None
    age = 0
    if has_age and has_dob:
        errors.add("date_of_birth", "give either age or date_of_birth, not both")
    elif not has_age and not has_dob:
        errors.add("age", "age or date_of_birth is required")
    elif has_age:
        age = _int(payload, "age", "age", errors, default=0, maximum=MAX_AGE)
    else:
        dob = _parse_date(payload["date_of_birth"], "date_of_birth", errors)
        if dob is not None and as_of is not None:
            if dob > as_of:
                errors.add("date_of_birth", "must not be after as_of")
            else:
                age = age_on(dob, as_of)
                if age > MAX_AGE:
                    errors.add("date_of_birth", "is not plausible")

    marital = _enum(payload, "marital_status", "marital_status", errors, MARITAL_STATUSES, "single")
    spouse_canadian = _bool(payload, "spouse_canadian", "spouse_canadian", errors)
    if marital in PARTNERED:
        if payload.get("spouse_accompanying") is None:
            errors.add("spouse_accompanying", "is required when married or common_law")
            accompanying = False
        else:
            accompanying = _bool(payload, "spouse_accompanying", "spouse_accompanying", errors)
    else:
        accompanying = _bool(payload, "spouse_accompanying", "spouse_accompanying", errors)
        if accompanying:
            errors.add("spouse_accompanying", "only applies when married or common_law")
        if spouse_canadian:
            errors.add("spouse_canadian", "only applies when married or common_law")
    with_spouse = marital in PARTNERED and accompanying and not spouse_canadian

    education = _enum(payload, "education", "education", errors, EDUCATION_LEVELS, None)

    clb_out: dict[str, Any] = {}
    first = payload.get("first_language")
    first_levels: tuple[int, int, int, int] = (0, 0, 0, 0)
    first_code = "en"
    if first is None:
        errors.add("first_language", "is required")
    else:
        res = _language(first, "first_language", errors, as_of)
        if res is not None:
            first_levels, first_code, clb_out["first_language"] = res
    second_levels: tuple[int, int, int, int] | None = None
    second = payload.get("second_language")
    if second is not None:
        res = _language(second, "second_language", errors, as_of)
        if res is not None:
            second_levels, second_code, clb_out["second_language"] = res
            if first is not None and "first_language" in clb_out and second_code == first_code:
                errors.add(
                    "second_language.test", "must be in the other official language than first_language"
                )

    cw = _int(payload, "canadian_work_years", "canadian_work_years", errors, default=0, maximum=MAX_YEARS)
    fw = _int(payload, "foreign_work_years", "foreign_work_years", errors, default=0, maximum=MAX_YEARS)
    coq = _bool(payload, "certificate_of_qualification", "certificate_of_qualification", errors)
    cedu = _enum(
        payload, "canadian_education", "canadian_education", errors, CANADIAN_EDUCATION_LEVELS, "none"
    )
    ae = _enum(
        payload, "arranged_employment", "arranged_employment", errors, ARRANGED_EMPLOYMENT_LEVELS, "none"
    )
    pnp = _bool(payload, "provincial_nomination", "provincial_nomination", errors)
    sibling = _bool(payload, "sibling_in_canada", "sibling_in_canada", errors)

    sp_edu = "none"
    sp_lang: tuple[int, int, int, int] | None = None
    sp_cw = 0
    spouse = payload.get("spouse")
    if spouse is not None:
        if not isinstance(spouse, dict):
            errors.add("spouse", "must be an object")
        else:
            for key in spouse:
                if key not in SPOUSE_KEYS:
                    errors.add(f"spouse.{key}", "unknown field")
            sp_edu = _enum(spouse, "education", "spouse.education", errors, EDUCATION_LEVELS, "none")
            if spouse.get("first_language") is not None:
                res = _language(spouse["first_language"], "spouse.first_language", errors, as_of)
                if res is not None:
                    sp_lang, _, clb_out["spouse_first_language"] = res
            sp_cw = _int(
                spouse,
                "canadian_work_years",
                "spouse.canadian_work_years",
                errors,
                default=0,
                maximum=MAX_YEARS,
            )

    if errors or rules is None or as_of is None:
        return {"error": dict(errors) or {"as_of": "could not determine the rule set"}}

    profile = CRSProfile(
        age=age,
        education=education,
        first_language=first_levels,
        first_language_code=first_code,
        second_language=second_levels,
        with_spouse=with_spouse,
        canadian_work_years=cw,
        foreign_work_years=fw,
        certificate_of_qualification=coq,
        canadian_education=cedu,
        arranged_employment=ae,
        nomination=pnp,
        sibling=sibling,
        spouse_education=sp_edu if with_spouse else "none",
        spouse_language=sp_lang if with_spouse else None,
        spouse_canadian_work_years=sp_cw if with_spouse else 0,
    )
    result = score(profile, rules)
    return {
        "total": result.total,
        "rule_set": result.rule_set,
        "sections": result.sections,
        "breakdown": result.breakdown,
        "as_of": as_of.isoformat(),
        "clb": clb_out,
    }


def profile_from_payload(
    payload: Any, *, today: date | None = None
) -> tuple[CRSProfile | None, dict[str, str]]:
    """Validate a payload and return the CRSProfile (or None and the errors). Used by what-if."""
    out = calculate(payload, today=today)
    if "error" in out:
        return None, out["error"]
    return _rebuild(payload, out, today), {}


def _rebuild(payload: dict[str, Any], out: dict[str, Any], today: date | None) -> CRSProfile:
    # Re-derive the profile cheaply from a validated payload (no errors are possible here).
    as_of = date.fromisoformat(out["as_of"])
    if payload.get("age") is not None:
        age = payload["age"]
    else:
        dob = payload["date_of_birth"]
        age = age_on(dob if isinstance(dob, date) else date.fromisoformat(dob), as_of)
    marital = payload.get("marital_status") or "single"
    with_spouse = (
        marital in PARTNERED
        and bool(payload.get("spouse_accompanying"))
        and not payload.get("spouse_canadian")
    )
    clb = out["clb"]

    def lv(key: str) -> tuple[int, int, int, int] | None:
        c = clb.get(key)
        return None if c is None else (c["listening"], c["reading"], c["writing"], c["speaking"])

    spouse = payload.get("spouse") or {}
    return CRSProfile(
        age=age,
        education=payload["education"],
        first_language=lv("first_language") or (0, 0, 0, 0),
        first_language_code=clb["first_language"]["language"],
        second_language=lv("second_language"),
        with_spouse=with_spouse,
        canadian_work_years=payload.get("canadian_work_years") or 0,
        foreign_work_years=payload.get("foreign_work_years") or 0,
        certificate_of_qualification=bool(payload.get("certificate_of_qualification")),
        canadian_education=payload.get("canadian_education") or "none",
        arranged_employment=payload.get("arranged_employment") or "none",
        nomination=bool(payload.get("provincial_nomination")),
        sibling=bool(payload.get("sibling_in_canada")),
        spouse_education=(spouse.get("education") or "none") if with_spouse else "none",
        spouse_language=lv("spouse_first_language") if with_spouse else None,
        spouse_canadian_work_years=(spouse.get("canadian_work_years") or 0) if with_spouse else 0,
    )
