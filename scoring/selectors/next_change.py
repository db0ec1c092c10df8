"""Why a stored score changes by itself on its `next_change_on` date, and to what.

The engine stores the date only; this read explains it for the pages: which dated fact falls on that
day (a birthday, a language result or an ECA expiring, a year of work completed, a nomination or an
offer starting or ending, new CRS rules) and the total on that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from firm.facts import ClientSnapshot, load_snapshot, person_facts
from firm.models import Client
from firm.scoping import Actor
from scoring.crs.dates import anniversary
from scoring.crs.engine import score as crs_score
from scoring.crs.facts import ECA_VALIDITY_YEARS, build_profile
from scoring.crs.language import RESULT_VALIDITY_YEARS
from scoring.crs.rulesets import RULE_SETS, ruleset_for

_TEST_NAMES = {
    "ielts": "IELTS",
    "celpip": "CELPIP",
    "pte_core": "PTE Core",
    "tef": "TEF Canada",
    "tcf": "TCF Canada",
}


@dataclass
class NextChange:
    on: date
    total_before: int
    total_after: int | None
    reasons: list[str] = field(default_factory=list)
    # The breakdown rows that change on that day: [(breakdown key, points before, points after)].
    rows: list[tuple[str, int, int]] = field(default_factory=list)


def _d(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _language_reasons(snapshot: ClientSnapshot, day: date) -> list[str]:
    out = []
    for whose in ("principal", "spouse"):
        for t in snapshot.languages_of(whose):
            name = _TEST_NAMES.get(t.test, t.test.upper())
            if anniversary(t.test_date, RESULT_VALIDITY_YEARS) == day:
                text = _(
                    "the %(test)s result of %(date)s expires (language results count for %(years)d years)"
                ) % {"test": name, "date": _d(t.test_date), "years": RESULT_VALIDITY_YEARS}
                out.append(_("spouse: %(reason)s") % {"reason": text} if whose == "spouse" else text)
            elif t.test_date == day:
                out.append(
                    _("the %(test)s result dated %(date)s starts to count") % {"test": name, "date": _d(day)}
                )
    return out


def _education_reasons(snapshot: ClientSnapshot, day: date) -> list[str]:
    out = []
    for e in snapshot.education:
        if e.eca_date is not None and anniversary(e.eca_date, ECA_VALIDITY_YEARS) == day:
            out.append(
                _("the credential assessment (ECA) of %(date)s expires (valid for %(years)d years)")
                % {"date": _d(e.eca_date), "years": ECA_VALIDITY_YEARS}
            )
        if e.completed_on == day:
            out.append(_("a credential is completed"))
    return out


def _work_reasons(snapshot: ClientSnapshot, day: date) -> list[str]:
    out = []
    for w in snapshot.work_of("principal"):
        start = w.start_date
        if start < day and start.month == day.month and start.day == day.day:
            years = day.year - start.year
            where = _("Canadian") if w.in_canada else _("foreign")
            out.append(
                _("another year of %(where)s work is completed (%(years)d since %(start)s)")
                % {"where": where, "years": years, "start": _d(start)}
            )
    return out


def _other_reasons(snapshot: ClientSnapshot, day: date) -> list[str]:
    out = []
    dob = snapshot.date_of_birth
    if dob is not None and (dob.month, dob.day) == (day.month, day.day) and day > dob:
        out.append(_("birthday: the client turns %(age)d (age points change)") % {"age": day.year - dob.year})
    for n in snapshot.nominations:
        if not n.enhanced:  # a base (non-Express Entry) nomination gives no CRS points
            continue
        if n.nominated_on == day:
            out.append(_("the provincial nomination starts to count"))
        if n.expires_on is not None and n.expires_on + timedelta(days=1) == day:
            out.append(_("the provincial nomination expires"))
    for o in snapshot.offers:
        if o.counts_from == day:
            out.append(_("the job offer starts to count"))
    for rules in RULE_SETS:
        if rules.effective_from == day:
            out.append(_("new CRS rules take effect"))
    return out


def _breakdown_on(snapshot: ClientSnapshot, day: date) -> dict[str, int] | None:
    facts = person_facts(snapshot, day)
    if facts is None:
        return None
    rules = ruleset_for(day)
    result = crs_score(build_profile(facts, day, rules), rules)
    return {**result.breakdown, "__total__": result.total}


def _changed_rows(before: dict[str, int], after: dict[str, int]) -> list[tuple[str, int, int]]:
    rows = []
    for key in sorted(set(before) | set(after)):
        last = key.rpartition(".")[2]
        if key == "__total__" or last in ("total", "uncapped") or last.endswith("_uncapped"):
            continue
        old, new = int(before.get(key, 0) or 0), int(after.get(key, 0) or 0)
        if old != new:
            rows.append((key, old, new))
    return rows


def explain(snapshot: ClientSnapshot, day: date, total_before: int) -> NextChange:
    """The reasons (in the active language), the rows that change and the new total on `day`."""
    reasons = [
        *_language_reasons(snapshot, day),
        *_education_reasons(snapshot, day),
        *_work_reasons(snapshot, day),
        *_other_reasons(snapshot, day),
    ]
    try:  # an explanation must never break the page
        before = _breakdown_on(snapshot, day - timedelta(days=1))
        after = _breakdown_on(snapshot, day)
    except Exception:
        before = after = None
    rows = _changed_rows(before, after) if before is not None and after is not None else []
    if not reasons and any("work" in key for key, _old, _new in rows):
        # Work counts in hours (1,560 make a year), so a year is often completed before its anniversary.
        reasons.append(_("the work experience on file reaches another full year (1,560 hours)"))
    total_after = after["__total__"] if after is not None else None
    return NextChange(on=day, total_before=total_before, total_after=total_after, reasons=reasons, rows=rows)


def next_change_for_score(actor: Actor, score: Any) -> NextChange | None:
    """Explain `score.next_change_on` for the actor's client (None when the score has no such date)."""
    if score is None or not getattr(score, "next_change_on", None):
        return None
    if not Client.objects.restrict(actor).filter(pk=score.client_id).exists():
        return None
    snapshot = load_snapshot(score.client_id)
    if snapshot is None:
        return None
    return explain(snapshot, score.next_change_on, int(score.total))
