"""ICT durations: the requested permit or extension, the cumulative cap and the latest end dates (pure).

Rules (pathways.md §3.2, IRCC R205(a) instructions): an initial permit is at most 1 year (C61) or 3 years
(C62/C63), extensions at most 2 years, and all ICT time (R205(a) and R204(a) trade-agreement codes) counts
towards a cumulative cap of 7 years (executive/manager) or 5 years (specialized knowledge). A permit cannot
run past the cap: a request longer than what is left is not approvable as asked.

The requested period starts on the job offer's start date (else the application date) and lasts
``CaseFacts.requested_permit_months``, else the offer's ``duration_months``, else until the offer's
``end_date``. When none is known the criterion only says how much time is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pathways.rules._builder import Builder
from pathways.rules.common import offer_of
from pathways.rules.data import RuleSet
from pathways.rules.dates import add_offset
from pathways.rules.types import CaseFacts, ClientFacts
from pathways.rules.work import is_full_time, longest_continuous, same_employer

_CAP_KEY = {"sk": "specialized_knowledge", "executive_manager": "executive", "new_office": "new_office"}


@dataclass(frozen=True)
class Request:
    start: date
    end: date | None  # inclusive; None when the length is not known
    how: str  # where the length comes from, for the reason text

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days + 1


def requested_period(client: ClientFacts, case: CaseFacts, app: date) -> Request:
    """The permit (or extension) asked for: from the offer's start date (else ``app``)."""
    offer = offer_of(client, case)
    start = (offer.start_date if offer and offer.start_date else None) or app
    if case.requested_permit_months:
        m = case.requested_permit_months
        return Request(start, add_offset(start, months=m) - timedelta(days=1), f"the requested {m} months")
    if offer and offer.duration_months:
        m = int(offer.duration_months)
        return Request(start, add_offset(start, months=m) - timedelta(days=1), f"the job offer's {m} months")
    if offer and offer.end_date and offer.end_date >= start:
        return Request(start, offer.end_date, f"the job offer's term ({start} to {offer.end_date})")
    return Request(start, None, "")


def used_days(rs: RuleSet, case: CaseFacts, as_of: date) -> tuple[int, list[date]]:
    """ICT days already used (codes counted towards the cap) and the end dates of those permits."""
    counted = set(rs.value("cap_counted_codes"))
    permits = [p for p in case.prior_ict_permits if p.code.upper() in counted and p.start <= as_of]
    return sum(((p.end or as_of) - p.start).days + 1 for p in permits), [p.end or as_of for p in permits]


def cap_criterion(
    b: Builder, rs: RuleSet, client: ClientFacts, case: CaseFacts, group: str, app: date
) -> date | None:
    """Adds ``ict_cap``; returns the last day before the cap is reached (None for C61 or when past it)."""
    if group == "new_office":
        return None
    years = rs.value("cap_years")[_CAP_KEY[group]]
    facts = [rs.fact("cap_years"), rs.fact("cap_counted_codes"), rs.fact("requalify_months_outside_canada")]
    label = f"Cumulative ICT time under the {years}-year cap, including the requested permit"
    req = requested_period(client, case, app)
    used, ends = used_days(rs, case, b.as_of)
    cap_days = (add_offset(req.start, years=years) - req.start).days
    left = cap_days - used
    if left <= 0:
        _requalification(b, rs, client, case, label, used, cap_days, max(ends), app)
        return None
    cap_end = req.start + timedelta(days=left - 1)
    b.key_date(
        "ict_cap_reached",
        f"ICT {years}-year cumulative cap reached (if the permit starts on {req.start})",
        cap_end,
        f"{years} years less {used} days already used",
        fact=rs.fact("cap_years"),
    )
    status, reason = _fit(req, used, cap_days, left, cap_end)
    b.add("ict_cap", label, status, reason, facts=facts, rules=rs)
    return cap_end


def _fit(req: Request, used: int, cap_days: int, left: int, cap_end: date) -> tuple[str, str]:
    head = f"{used} days used of about {cap_days}; {left} days remain (until {cap_end})"
    if req.days is None:
        return "met", (
            f"{head}. The length of the requested permit is not recorded (requested_permit_months, or the "
            "job offer's duration or dates): it cannot run past the cap."
        )
    if req.days <= left:
        return "met", f"{head}; {req.how} ({req.start} to {req.end}) fit."
    return "unmet", (
        f"{head}; {req.how} ({req.start} to {req.end}, {req.days} days) go past the cap. A permit could "
        f"run at most until {cap_end}."
    )


def _requalification(
    b: Builder,
    rs: RuleSet,
    client: ClientFacts,
    case: CaseFacts,
    label: str,
    used: int,
    cap_days: int,
    last_end: date,
    app: date,
) -> None:
    need = rs.value("requalify_months_outside_canada")
    facts = [rs.fact("cap_years"), rs.fact("cap_counted_codes"), rs.fact("requalify_months_outside_canada")]
    employer = case.foreign_employer
    stretch = longest_continuous(
        client.work,
        last_end + timedelta(days=1),
        app,
        lambda p: (not p.in_canada) and is_full_time(p) is True and same_employer(p.employer, employer),
    )
    if stretch and stretch[2] >= need:
        reason = (
            f"Cap reached ({used} days), but {stretch[2]} months full-time outside Canada with {employer} "
            f"since {last_end} re-qualify the applicant."
        )
        b.add("ict_cap", label, "met", reason, facts=facts, rules=rs)
        return
    reason = (
        f"{used} days of ICT time already used (cap about {cap_days} days); {need} months full-time with the "
        "enterprise outside Canada are needed before re-qualifying. Recapture of periods not worked "
        "(>= 30 consecutive days) is not computed here."
    )
    b.add("ict_cap", label, "unmet", reason, facts=facts, rules=rs)


def permit_end_dates(
    b: Builder,
    rs: RuleSet,
    client: ClientFacts,
    case: CaseFacts,
    group: str,
    code: str,
    app: date,
    cap_end: date | None,
) -> None:
    """``initial_permit_max_end`` (or ``extension_max_end``): the code's maximum length, capped by the cap."""
    start = requested_period(client, case, app).start
    if case.ict_request == "extension":
        years, kind = rs.value("extension_years"), "extension_max_end"
        label, fact = f"Latest end of a {code} extension ({years} year(s))", rs.fact("extension_years")
    else:
        years = rs.value("initial_max_years")[_CAP_KEY[group]]
        kind, fact = "initial_permit_max_end", rs.fact("initial_max_years")
        label = f"Latest end of an initial {code} permit ({years} year(s))"
    by_length = add_offset(start, years=years) - timedelta(days=1)
    basis = f"Start {start} + {years} year(s)"
    due = by_length
    if cap_end is not None and cap_end < by_length:
        due, basis = cap_end, f"{basis}, cut to the day the cumulative cap is reached"
    b.key_date(kind, label, due, basis, fact=fact)
