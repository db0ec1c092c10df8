"""Historical flagging: which past rounds a client would have cleared, with the score AS OF each round's date.

Ordinary flagging (``scoring.services.draws.draw_flag``) compares a round with the client's CURRENT score
and writes ``DrawMatch`` rows; that is right for a new round and is not changed here. For a new client
with a history ("which past rounds would this client have cleared?") the question needs the score and the
eligibility the client had on each round's date: the stored facts are resolved on that date (dated job
offers and nominations included), scored with the rule set in force that day, and judged with the same
eligibility basis (``eligibility_basis``) and cut-off/tie-break rule as ``clearing_sql``.

Read only: nothing is stored and nobody is emailed. Used by ``flag_draws --as-of-draw-date`` and
``GET /api/v1/clients/{id}/past-rounds``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from firm.facts import ClientSnapshot, load_snapshots, missing_facts, person_facts
from firm.facts.crs import nominated
from firm.models import Client
from scoring.crs.categories import category_eligibility
from scoring.crs.eligibility import ELIGIBLE, program_eligibility
from scoring.crs.engine import score
from scoring.crs.facts import PersonFacts, build_profile
from scoring.crs.rulesets import ruleset_for
from scoring.draws.categories import eligibility_basis
from scoring.models import Draw


@dataclass(frozen=True)
class PastRound:
    """One past round a client would have cleared on its date."""

    client_id: int
    draw_id: int
    draw_number: str
    draw_date: date
    category: str
    min_crs: int
    score: int  # the client's score on the round's date
    rule_set: str
    eligibility_basis: str
    in_pool: bool
    by_tie_break: bool


@dataclass(frozen=True)
class _Pool:
    submitted_at: datetime | None
    expires_on: date | None
    has_profile: bool

    def on(self, day: date) -> bool:
        return (
            self.has_profile
            and self.submitted_at is not None
            and self.submitted_at.date() <= day
            and (self.expires_on is None or self.expires_on >= day)
        )


class _Day:
    """One client's facts, score and eligibility on one date (computed once, shared by that day's rounds)."""

    def __init__(self, stored: ClientSnapshot, day: date) -> None:
        self.stored, self.day = stored, day
        self.facts: PersonFacts | None = None if missing_facts(stored, day) else person_facts(stored, day)
        self.total: int | None = None
        self.rule_set = ""
        self._programs: dict | None = None
        self._categories: dict[str, dict] = {}
        if self.facts is not None:
            rules = ruleset_for(day)
            self.total = score(build_profile(self.facts, day, rules), rules).total
            self.rule_set = rules.id

    def programs(self) -> dict:
        if self._programs is None:
            self._programs = program_eligibility(self.facts, self.day) if self.facts else {}
        return self._programs

    def eligible(self, draw: Draw) -> tuple[bool, str]:
        basis = eligibility_basis(draw.category, draw.category_version or None)
        if self.facts is None:
            return False, basis.kind
        if basis.kind == "nomination":
            return nominated(self.stored, self.day), "provincial nomination"
        if basis.kind == "program":
            ok = any(self.programs().get(p) and self.programs()[p].status == ELIGIBLE for p in basis.programs)
            return ok, "any of " + "/".join(basis.programs) if len(basis.programs) > 1 else basis.programs[0]
        if basis.kind == "category" and draw.category_version:
            key = draw.category_version
            if key not in self._categories:
                try:
                    self._categories[key] = category_eligibility(
                        self.facts, self.day, key, programs=self.programs()
                    )
                except KeyError:  # a version label the engine does not know
                    self._categories[key] = {}
            result = self._categories[key].get(basis.category or "")
            return bool(result and result.status == ELIGIBLE), f"{basis.category} {key}"
        return False, "unknown"


def _pools(client_ids: Iterable[int]) -> dict[int, _Pool]:
    rows = Client.objects.filter(pk__in=list(client_ids)).values_list(
        "pk", "ee_profile_number", "ee_profile_submitted_at", "ee_profile_expires_on"
    )
    return {pk: _Pool(submitted, expires, bool(number)) for pk, number, submitted, expires in rows}


def rounds_cleared_as_of_draw_date(client_ids: Sequence[int], draws: Sequence[Draw]) -> list[PastRound]:
    """The (client, round) pairs where the client's score and eligibility ON THE ROUND'S DATE clear it.

    Same rule as ``clearing_sql``: above the cut-off, or at it with a profile in the pool submitted before
    the round's tie-break time. Ordered by round date, then client.
    """
    stored = load_snapshots(client_ids)
    pools = _pools(client_ids)
    out: list[PastRound] = []
    for client_id in client_ids:
        if client_id not in stored:
            continue
        days: dict[date, _Day] = {}
        for draw in draws:
            day = days.setdefault(draw.draw_date, _Day(stored[client_id], draw.draw_date))
            hit = _clears(day, draw, pools.get(client_id))
            if hit is not None:
                out.append(hit)
    out.sort(key=lambda r: (r.draw_date, r.draw_number, r.client_id))
    return out


def _clears(day: _Day, draw: Draw, pool: _Pool | None) -> PastRound | None:
    if day.total is None or day.total < draw.min_crs:
        return None
    in_pool = bool(pool and pool.on(draw.draw_date))
    at_cutoff = day.total == draw.min_crs
    if at_cutoff:
        submitted = pool.submitted_at if pool else None
        if not (in_pool and draw.tie_break_at and submitted and submitted < draw.tie_break_at):
            return None
    ok, basis = day.eligible(draw)
    if not ok:
        return None
    return PastRound(
        client_id=day.stored.client_id,
        draw_id=draw.pk,
        draw_number=draw.draw_number,
        draw_date=draw.draw_date,
        category=draw.category,
        min_crs=draw.min_crs,
        score=day.total,
        rule_set=day.rule_set,
        eligibility_basis=basis,
        in_pool=in_pool,
        by_tie_break=at_cutoff,
    )


def client_past_rounds(
    client_id: int, *, since: date | None = None, until: date | None = None
) -> list[PastRound]:
    """Every stored round (optionally in [since, until]) the client would have cleared on its date."""
    draws = Draw.objects.exclude(category="unknown").order_by("draw_date", "draw_number")
    if since:
        draws = draws.filter(draw_date__gte=since)
    if until:
        draws = draws.filter(draw_date__lte=until)
    return rounds_cleared_as_of_draw_date([client_id], list(draws))
