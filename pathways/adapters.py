"""From the database to the pure assessors' inputs.

- `client_facts(client, as_of=...)`: a `Client` and its fact rows -> `ClientFacts` (language scores
  converted to CLB/NCLC with `scoring.crs.language.convert`, citizenships as ISO codes, work periods).
- `case_facts(data)`: a case's `facts` JSON -> `CaseFacts`, validated field by field. Every problem is
  reported with its path (`facts.job_offer.hourly_wage`), unknown keys included, so a typo is an error
  rather than a silently ignored fact. The optional `client` section of the JSON supplements the
  client's facts with what the firm's records do not hold (ITA date, medical and police-certificate
  dates, settlement funds, licences...): see `CLIENT_SUPPLEMENT_FIELDS`.
- `to_jsonable(obj)`: dataclasses -> JSON (dates as ISO strings), for stored inputs and hashes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from firm.constants import Province
from firm.models import Client
from firm.models import LanguageTest as LanguageTestRow
from firm.people_services import family_size
from pathways.rules.types import (
    CaseFacts,
    ClientFacts,
    EducationRecord,
    JobOffer,
    LanguageTest,
    Nomination,
    WorkPeriod,
)

# firm.constants.EducationLevel -> pathways.rules.types.EDUCATION_LEVELS
EDUCATION_LEVEL_MAP: dict[str, str] = {
    "none": "none",
    "secondary": "secondary",
    "one_year": "certificate",
    "two_year": "diploma",
    "bachelors": "bachelor",
    "two_or_more": "two_or_more",
    "masters": "master",
    "phd": "doctorate",
}
_CAPACITIES = frozenset({"executive", "manager", "specialized_knowledge", "other"})
_PARTNERED = frozenset({"married", "common_law"})
LANGUAGE_VALIDITY_YEARS = 2
# Dates the assessors can compute with (offsets of years either way stay valid dates).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)

# ClientFacts fields a case's facts JSON may supply under "client" (the firm's records do not hold them).
CLIENT_SUPPLEMENT_FIELDS: tuple[str, ...] = (
    "country_of_residence",
    "licences",
    "family_size",
    "settlement_funds_cad",
    "intended_province",
    "ee_ita_date",
    "medical_exam_date",
    "police_certificate_date",
    "holds_work_permit",
    "refugee_claimant",
)


class CaseFactsError(ValueError):
    """The case's facts JSON is invalid. `errors` maps field paths (`facts.job_offer.noc`) to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# --------------------------------------------------------------------------------------------- client


def _country(value: Any) -> str | None:
    code = getattr(value, "code", value)
    return str(code).upper() if code else None


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def language_result(row: LanguageTestRow) -> LanguageTest | None:
    """One test sitting -> CLB/NCLC levels per ability (None when the scores cannot be converted)."""
    from scoring.crs.language import LanguageScoreError, convert, official_language

    scores = {a: _float(getattr(row, a)) for a in ("listening", "reading", "writing", "speaking")}
    try:
        levels = convert(row.test, scores, row.test_date)
        language = official_language(row.test)
    except LanguageScoreError:
        return None
    return LanguageTest(
        clb=dict(zip(("listening", "reading", "writing", "speaking"), levels, strict=True)),
        test_date=row.test_date,
        language="fr" if language == "fr" else "en",
        test_name=row.test,
    )


def _best_language(rows: list[LanguageTestRow], as_of: date) -> LanguageTest | None:
    """The best result still valid on `as_of` (highest lowest-ability level), else the most recent one."""
    results = [r for r in (language_result(row) for row in rows) if r is not None]
    if not results:
        return None
    valid = [
        r
        for r in results
        if r.test_date and r.test_date <= as_of < _add_years(r.test_date, LANGUAGE_VALIDITY_YEARS)
    ]
    if valid:
        return max(valid, key=lambda r: (r.min_clb() or 0, r.test_date or date.min))
    return max(results, key=lambda r: r.test_date or date.min)


def _work_counts(row: Any) -> bool:
    """Canadian work without authorization, or while a full-time student, counts for no program."""
    return not (row.in_canada and (not row.work_authorized or row.while_full_time_student))


def client_facts(client: Client, *, as_of: date, crs_score: int | None = None) -> ClientFacts:
    """The client's facts as the assessors see them on `as_of` (principal applicant only)."""
    tests = list(client.languagetests.filter(person="principal"))
    first = _best_language([t for t in tests if t.role == "first"], as_of)
    second = _best_language([t for t in tests if t.role == "second"], as_of)
    education = tuple(
        EducationRecord(
            level=EDUCATION_LEVEL_MAP.get(e.level, "none"),
            field=e.field_of_study,
            country=_country(e.country) or ("CA" if e.in_canada else None),
            program_years=float(e.program_years)
            if e.program_years
            else (1.0 if e.level == "one_year" else None),
            completed_on=e.completed_on,
            eca_date=e.eca_date,
        )
        for e in client.educations.filter(person="principal").order_by("completed_on", "pk")
    )
    work = tuple(
        WorkPeriod(
            start=w.start_date,
            end=w.end_date,
            noc=w.noc_code or None,
            teer=w.teer,
            employer=w.employer,
            country=_country(w.country) or ("CA" if w.in_canada else None),
            in_canada=w.in_canada,
            hours_per_week=_float(w.hours_per_week),
            paid=w.paid,
            self_employed=w.self_employed,
            job_title=w.job_title,
            capacity=typing.cast(
                Any, w.capacity if w.capacity in _CAPACITIES else ("other" if w.capacity else None)
            ),
            province=w.province or None,
        )
        for w in client.workexperiences.filter(person="principal").order_by("start_date", "pk")
        if _work_counts(w)
    )
    offer_row = client.joboffers.filter(is_current=True).order_by("-offered_on", "-pk").first()
    offer = None
    if offer_row is not None:
        offer = JobOffer(
            employer=offer_row.employer,
            noc=offer_row.noc_code or None,
            teer=offer_row.teer,
            job_title=offer_row.job_title,
            hourly_wage=_float(offer_row.hourly_wage),
            annual_wage=_float(offer_row.annual_wage),
            province=offer_row.province or None,
            full_time=offer_row.full_time,
            hours_per_week=_float(offer_row.hours_per_week),
            permanent=offer_row.permanent,
            duration_months=float(offer_row.duration_months) if offer_row.duration_months else None,
            start_date=offer_row.start_date,
        )
    nom_row = (
        client.provincialnominations.filter(nominated_on__lte=as_of)
        .exclude(expires_on__lt=as_of)
        .order_by("-nominated_on", "-pk")
        .first()
    )
    nomination = (
        Nomination(
            province=nom_row.province,
            stream=nom_row.stream,
            nominated_on=nom_row.nominated_on,
            enhanced=nom_row.enhanced,
        )
        if nom_row
        else None
    )
    submitted = client.ee_profile_submitted_at
    return ClientFacts(
        citizenships=tuple(sorted(c.code for c in client.citizenships)),
        country_of_residence=_country(client.country_of_residence),
        date_of_birth=client.date_of_birth,
        education=education,
        work=work,
        first_language=first,
        second_language=second,
        nomination=nomination,
        job_offer=offer,
        # Counted from the family members when recorded (firm.people_services.family_size); never guessed.
        family_size=family_size(client=client) if client.family_members.exists() else client.family_size,
        settlement_funds_cad=int(client.settlement_funds_cad)
        if client.settlement_funds_cad is not None
        else None,
        intended_province=client.intended_province or (offer.province if offer else None),
        ee_profile_submitted_on=submitted.date() if isinstance(submitted, datetime) else submitted,
        ee_crs_score=crs_score,
    )


def client_with_supplement(client: ClientFacts, supplement: Mapping[str, Any]) -> ClientFacts:
    """`ClientFacts` with the case's `client` section applied (already validated by `case_facts_parse`)."""
    return dataclasses.replace(client, **dict(supplement)) if supplement else client


# ----------------------------------------------------------------------------------------- case JSON

_NOC = re.compile(r"^\d{5}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ATTESTATION = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+$")
_PROVINCES = frozenset(Province.values)
# Whole numbers with a range of their own (an ICT permit or extension of 0 or 200 months is impossible).
_INT_BOUNDS: dict[str, tuple[int, int]] = {"requested_permit_months": (1, 84)}


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if tp is str:
        return "a string"
    if tp is date:
        return "a date (YYYY-MM-DD)"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin is tuple:
        return "a list"
    if dataclasses.is_dataclass(tp) or origin in (Mapping, dict):
        return "an object"
    return str(tp)


class _Parser:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def value(self, tp: Any, raw: Any, path: str, name: str) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if raw is None:
                return None
            return self.value(args[0], raw, path, name)
        if origin is typing.Literal:
            if raw not in typing.get_args(tp):
                self.fail(path, f"Must be {_type_name(tp)}.")
            return raw
        if tp is bool:
            if not isinstance(raw, bool):
                self.fail(path, "Must be true or false.")
            return raw
        if tp is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.fail(path, "Must be a whole number.")
            elif raw < 0:
                self.fail(path, "Must not be negative.")
            elif name in _INT_BOUNDS and not _INT_BOUNDS[name][0] <= raw <= _INT_BOUNDS[name][1]:
                low, high = _INT_BOUNDS[name]
                self.fail(path, f"Must be between {low} and {high}.")
            return raw
        if tp is float:
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
                self.fail(path, "Must be a number.")
                return raw
            if raw < 0:
                self.fail(path, "Must not be negative.")
            return float(raw)
        if tp is str:
            if not isinstance(raw, str):
                self.fail(path, "Must be a string.")
                return raw
            return self.string(raw.strip(), path, name)
        if tp is date:
            if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                self.fail(path, "Must be a date (YYYY-MM-DD).")
                return raw
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                self.fail(path, "Not a valid date.")
                return raw
            if not DATE_MIN <= value <= DATE_MAX:
                self.fail(path, f"Must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}.")
            return value
        if origin is tuple:
            args = typing.get_args(tp)
            if not isinstance(raw, list):
                self.fail(path, "Must be a list.")
                return ()
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(self.value(args[0], item, f"{path}[{i}]", name) for i, item in enumerate(raw))
            if len(raw) != len(args):
                self.fail(path, f"Must be a list of {len(args)} values.")
                return ()
            return tuple(
                self.value(a, item, f"{path}[{i}]", name)
                for i, (a, item) in enumerate(zip(args, raw, strict=True))
            )
        if origin in (Mapping, dict):
            _key_tp, value_tp = typing.get_args(tp)
            if not isinstance(raw, dict):
                self.fail(path, "Must be an object.")
                return {}
            out: dict[str, Any] = {}
            for k, v in raw.items():
                if name == "attestations" and not _ATTESTATION.match(str(k)):
                    self.fail(f"{path}.{k}", "Attestation keys look like 'ict.specialized_knowledge'.")
                    continue
                out[str(k)] = self.value(value_tp, v, f"{path}.{k}", name)
            return out
        if dataclasses.is_dataclass(tp):
            return self.dataclass(tp, raw, path)
        raise TypeError(f"unsupported type {tp!r} at {path}")  # pragma: no cover - a new field type

    def string(self, value: str, path: str, name: str) -> str:
        if name in ("province", "intended_province") and value.upper() not in _PROVINCES:
            self.fail(path, "Must be a Canadian province or territory code (ON, BC, QC...).")
            return value
        if name in ("noc", "ee_primary_noc") and not _NOC.match(value):
            self.fail(path, "A NOC 2021 code has five digits.")
        if name in ("country", "country_of_residence") and not _COUNTRY.match(value.upper()):
            self.fail(path, "Must be a two-letter ISO country code.")
        if name in ("province", "intended_province", "country", "country_of_residence"):
            return value.upper()
        return value

    def dataclass(self, cls: Any, raw: Any, path: str, only: tuple[str, ...] | None = None) -> Any:
        if not isinstance(raw, dict):
            self.fail(path, "Must be an object.")
            return None
        hints = typing.get_type_hints(cls)
        names = [f.name for f in dataclasses.fields(cls) if only is None or f.name in only]
        for key in raw:
            if key not in names:
                self.fail(f"{path}.{key}", "Unknown field.")
        kwargs = {
            name: self.value(hints[name], raw[name], f"{path}.{name}", name) for name in names if name in raw
        }
        if only is not None:
            return kwargs
        try:
            return cls(**kwargs)
        except TypeError as exc:  # a required field of a nested record is missing
            missing = [f.name for f in dataclasses.fields(cls) if f.name not in kwargs and _required(f)]
            for name in missing:
                self.fail(f"{path}.{name}", "This field is required.")
            if not missing:
                self.fail(path, str(exc))
            return None


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def case_facts_parse(data: Any, *, prefix: str = "facts") -> tuple[CaseFacts, dict[str, Any]]:
    """Validate a case's facts JSON: (CaseFacts, client supplement). Raises `CaseFactsError`."""
    if data is None:
        data = {}
    parser = _Parser()
    if not isinstance(data, dict):
        raise CaseFactsError({prefix: "Must be an object."})
    body = dict(data)
    supplement_raw = body.pop("client", None)
    supplement: dict[str, Any] = {}
    if supplement_raw is not None:
        supplement = (
            parser.dataclass(ClientFacts, supplement_raw, f"{prefix}.client", only=CLIENT_SUPPLEMENT_FIELDS)
            or {}
        )
    facts = parser.dataclass(CaseFacts, body, prefix)
    if parser.errors:
        raise CaseFactsError(dict(sorted(parser.errors.items())))
    return facts, supplement


def case_facts(data: Any) -> CaseFacts:
    """A case's facts JSON -> `CaseFacts` (raises `CaseFactsError` naming every bad field path)."""
    return case_facts_parse(data)[0]


def case_facts_errors(data: Any) -> dict[str, str]:
    """Field path -> message for an invalid facts JSON; empty when valid (for other apps' validation)."""
    try:
        case_facts_parse(data)
    except CaseFactsError as exc:
        return exc.errors
    return {}


# --------------------------------------------------------------------------------------- serialising


def to_jsonable(obj: Any) -> Any:
    """Dataclasses, mappings, tuples and dates -> plain JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return float(obj)
    return obj


def stable_hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


__all__ = [
    "CLIENT_SUPPLEMENT_FIELDS",
    "DATE_MAX",
    "DATE_MIN",
    "CaseFactsError",
    "case_facts",
    "case_facts_errors",
    "case_facts_parse",
    "client_facts",
    "client_with_supplement",
    "language_result",
    "stable_hash",
    "to_jsonable",
]
