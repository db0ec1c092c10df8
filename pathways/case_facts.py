"""A case's own facts (its `facts` JSON) for the pure assessors. (The client's facts come from the one
snapshot adapter, firm/facts/: `firm.facts.pathways.client_facts`.)

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
from pathways.rules.types import (
    CaseFacts,
    ClientFacts,
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
    "client_with_supplement",
    "stable_hash",
    "to_jsonable",
]
