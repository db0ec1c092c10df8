"""Assembling an :class:`Assessment` criterion by criterion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from pathways.rules.data import Fact, RuleSet, rules_at
from pathways.rules.dates import add_offset
from pathways.rules.types import (
    Assessment,
    ChecklistItem,
    Criterion,
    CriterionStatus,
    Fee,
    KeyDate,
    Verification,
    outcome_of,
)

_ORDER: dict[str, int] = {"official": 0, "two_sources": 1, "one_source": 2, "unverified": 3}

UNVERIFIED_UNMET_NOTE = (
    " This rule is marked unverified in the reference, so a failure is reported as unknown until the "
    "rule is confirmed on the official page."
)


def weakest(*statuses: Verification) -> Verification:
    """The least certain of several verification statuses."""
    return max(statuses, key=lambda s: _ORDER[s]) if statuses else "unverified"


class Builder:
    """Collects criteria, checklist items, key dates, fees and notices for one assessment."""

    def __init__(self, pathway: str, stream: str, as_of: date) -> None:
        self.pathway = pathway
        self.stream = stream
        self.as_of = as_of
        self.criteria: list[Criterion] = []
        self.checklist: list[ChecklistItem] = []
        self.key_dates: list[KeyDate] = []
        self.notices: list[str] = []
        self.fees: list[Fee] = []
        self.versions: dict[str, str] = {}

    # ------------------------------------------------------------------ data
    def rules(self, dataset: str) -> RuleSet | None:
        rs = rules_at(dataset, self.as_of)
        self.versions[dataset] = rs.version if rs else "none in force"
        return rs

    # -------------------------------------------------------------- criteria
    def add(
        self,
        key: str,
        label: str,
        status: CriterionStatus,
        reason: str,
        *,
        facts: Iterable[Fact] = (),
        rules: RuleSet | None = None,
        source: str | None = None,
        verification: Verification | None = None,
    ) -> Criterion:
        facts = tuple(facts)
        if verification is None:
            verification = weakest(*(f.status for f in facts)) if facts else "unverified"
        if source is None:
            source = "; ".join(dict.fromkeys(f.source for f in facts)) or "no source in the reference"
        if status == "unmet" and verification == "unverified":
            status, reason = "unknown", reason + UNVERIFIED_UNMET_NOTE
        version = f"{rules.dataset}:{rules.version}" if rules else "n/a"
        c = Criterion(key, label, status, reason, source, version, verification)
        self.criteria.append(c)
        return c

    def check(
        self,
        key: str,
        label: str,
        ok: bool | None,
        *,
        met: str,
        unmet: str,
        unknown: str,
        facts: Iterable[Fact] = (),
        rules: RuleSet | None = None,
        source: str | None = None,
        verification: Verification | None = None,
    ) -> Criterion:
        status: CriterionStatus = "unknown" if ok is None else ("met" if ok else "unmet")
        reason = unknown if ok is None else (met if ok else unmet)
        return self.add(
            key, label, status, reason, facts=facts, rules=rules, source=source, verification=verification
        )

    def attested(
        self,
        key: str,
        label: str,
        value: bool | None,
        *,
        facts: Iterable[Fact] = (),
        rules: RuleSet | None = None,
        what: str,
        attestation_key: str,
    ) -> Criterion:
        """A yes/no fact supplied by the case (``CaseFacts.attestations[attestation_key]``)."""
        return self.check(
            key,
            label,
            value,
            met=f"Confirmed on the case: {what}.",
            unmet=f"The case records that this is not so: {what}.",
            unknown=f"Not yet confirmed: {what} (record attestation '{attestation_key}').",
            facts=facts,
            rules=rules,
        )

    def missing_rules(self, key: str, label: str, dataset: str) -> Criterion:
        return self.add(
            key,
            label,
            "unknown",
            f"No version of the {dataset} rule data is in force on {self.as_of.isoformat()}.",
            source=f"pathways/data/{dataset}.json",
        )

    # ----------------------------------------------------- other sections
    def notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    def checklist_from(self, rs: RuleSet | None, name: str) -> None:
        if rs is None or not rs.has(name):
            return
        fact = rs.fact(name)
        for item in fact.value:
            self.checklist.append(
                ChecklistItem(
                    kind=item["kind"],
                    label=item["label"],
                    required=item.get("required", True),
                    note=item.get("note", ""),
                    source=item.get("source", fact.source),
                    verification=item.get("status", fact.status),
                    per=item.get("per", "principal"),
                    when=tuple(item.get("when", ())),
                )
            )

    def key_date(
        self,
        kind: str,
        label: str,
        due: date | None,
        basis: str,
        *,
        fact: Fact | None = None,
        source: str = "",
        verification: Verification | None = None,
    ) -> None:
        self.key_dates.append(
            KeyDate(
                kind,
                label,
                due,
                basis,
                source or (fact.source if fact else ""),
                verification or (fact.status if fact else "unverified"),
            )
        )

    def deadline(self, rs: RuleSet | None, rule: str, event_date: date | None) -> None:
        """A key date from a rule in the ``deadlines`` dataset: event date + offset."""
        if rs is None or not rs.has(rule):
            return
        fact = rs.fact(rule)
        spec: dict[str, Any] = fact.value
        offset = {k: spec[k] for k in ("days", "months", "years") if k in spec}
        due = add_offset(event_date, **offset) if event_date else None
        span = ", ".join(f"{v} {k}" for k, v in offset.items())
        basis = f"{spec['event_label']} + {span}"
        if event_date is None:
            basis += f" ({spec['event_label']} not recorded)"
        else:
            basis += f" ({spec['event_label']} {event_date.isoformat()})"
        self.key_date(spec["kind"], spec["label"], due, basis, fact=fact)

    def fee(
        self, rs: RuleSet | None, name: str, *, kind: str, label: str, payer: str, times: int = 1
    ) -> None:
        if rs is None or not rs.has(name):
            self.fees.append(Fee(kind, label, None, payer, "not in the reference", "unverified"))
            return
        f = rs.fact(name)
        amount = None if f.value is None else float(f.value) * times
        self.fees.append(Fee(kind, label, amount, payer, f.source, f.status))

    # ---------------------------------------------------------------- build
    def build(self) -> Assessment:
        unverified = [c.label for c in self.criteria if c.verification == "unverified"]
        if unverified:
            self.notice(
                "Some criteria rest on facts the reference marks unverified: " + "; ".join(unverified) + "."
            )
        return Assessment(
            pathway=self.pathway,
            stream=self.stream,
            outcome=outcome_of(self.criteria),
            criteria=tuple(self.criteria),
            checklist=tuple(self.checklist),
            key_dates=tuple(self.key_dates),
            rule_versions=dict(self.versions),
            notices=tuple(self.notices),
            fees=tuple(self.fees),
            as_of=self.as_of,
        )
