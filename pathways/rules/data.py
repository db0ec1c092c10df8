"""Versioned rule data: loading ``pathways/data/*.json`` and picking the version in force on a date.

File format (one dataset per file)::

    {"dataset": "gts", "title": "...",
     "versions": [
        {"version": "gts-2025-11", "effective_from": null | "YYYY-MM-DD", "evidence": "...",
         "facts": {"name": {"value": ..., "source": "...", "status": "official", "note": "..."}}},
        ...]}

Versions are deltas: a later version inherits every fact of the earlier ones and overrides the facts it
lists (``"inherit": false`` starts afresh). ``effective_from: null`` means "in force before the
earliest evidence the reference gives; start date not in the reference". A fact's ``status`` is one of
``official`` ([V] in the reference), ``two_sources`` / ``one_source`` ([S]) or ``unverified`` ([U]).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pathways.rules.types import Verification

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STATUSES: frozenset[str] = frozenset({"official", "two_sources", "one_source", "unverified"})


class RuleDataError(ValueError):
    """A data file is malformed."""


@dataclass(frozen=True)
class Fact:
    name: str
    value: Any
    source: str
    status: Verification
    note: str = ""


@dataclass(frozen=True)
class RuleSet:
    """The facts of one dataset in force on a date."""

    dataset: str
    version: str
    effective_from: date | None
    effective_to: date | None
    facts: dict[str, Fact]

    def fact(self, name: str) -> Fact:
        try:
            return self.facts[name]
        except KeyError:
            raise KeyError(f"{self.dataset}:{self.version} has no fact {name!r}") from None

    def value(self, name: str) -> Any:
        return self.fact(name).value

    def has(self, name: str) -> bool:
        return name in self.facts


@dataclass(frozen=True)
class _Version:
    version: str
    effective_from: date | None
    facts: dict[str, Fact]
    inherit: bool


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    versions: tuple[_Version, ...]  # sorted by effective_from, None first

    def at(self, as_of: date) -> RuleSet | None:
        """The cumulative rule set in force on ``as_of``, or None if no version had started."""
        facts: dict[str, Fact] = {}
        current: _Version | None = None
        effective_to: date | None = None
        for i, v in enumerate(self.versions):
            if v.effective_from is not None and v.effective_from > as_of:
                effective_to = v.effective_from
                break
            if not v.inherit:
                facts = {}
            facts.update(v.facts)
            current = v
            if i + 1 == len(self.versions):
                effective_to = None
        if current is None:
            return None
        return RuleSet(
            dataset=self.name,
            version=current.version,
            effective_from=current.effective_from,
            effective_to=effective_to,
            facts=facts,
        )

    def version_ids(self) -> tuple[str, ...]:
        return tuple(v.version for v in self.versions)


def _parse_date(raw: str | None) -> date | None:
    return None if raw is None else date.fromisoformat(raw)


def parse_dataset(raw: dict[str, Any]) -> Dataset:
    name = raw.get("dataset")
    if not isinstance(name, str) or not raw.get("versions"):
        raise RuleDataError("a dataset needs a name and at least one version")
    versions: list[_Version] = []
    for rv in raw["versions"]:
        facts: dict[str, Fact] = {}
        for fname, f in rv.get("facts", {}).items():
            if not isinstance(f, dict) or "value" not in f or "source" not in f or "status" not in f:
                raise RuleDataError(f"{name}:{rv.get('version')}:{fname} needs value, source and status")
            if f["status"] not in STATUSES:
                raise RuleDataError(f"{name}:{fname}: bad status {f['status']!r}")
            facts[fname] = Fact(fname, f["value"], f["source"], f["status"], f.get("note", ""))
        versions.append(
            _Version(
                version=rv["version"],
                effective_from=_parse_date(rv.get("effective_from")),
                facts=facts,
                inherit=rv.get("inherit", True),
            )
        )
    versions.sort(key=lambda v: (v.effective_from is not None, v.effective_from or date.min))
    return Dataset(name=name, title=raw.get("title", name), versions=tuple(versions))


@cache
def load(dataset: str) -> Dataset:
    """Load ``pathways/data/<dataset>.json`` (cached)."""
    path = DATA_DIR / f"{dataset}.json"
    with path.open(encoding="utf-8") as fh:
        ds = parse_dataset(json.load(fh))
    if ds.name != dataset:
        raise RuleDataError(f"{path.name} declares dataset {ds.name!r}")
    return ds


def rules_at(dataset: str, as_of: date) -> RuleSet | None:
    return load(dataset).at(as_of)


def all_datasets() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in DATA_DIR.glob("*.json")))
