"""Stored CRS scores and eligibility: compute them from a client's facts and keep their history.

Writes only; reads are in ``scoring.selectors.scores``. Every entry point goes through one batch path
(``recompute_clients``), so the per-client recompute and the nightly job behave the same way:

1. lock the clients' rows (``SELECT ... FOR UPDATE``, in id order), load their facts in six queries
   (``firm.facts.load_snapshots``) and their current scores and eligibility rows in two;
2. evaluate each client in memory with the pure engine (``evaluate``): the CRS profile on ``as_of``,
   the score, the calculator-contract JSON of the profile (stored in ``CRSScore.profile``), its inputs
   hash, the next date the score changes by itself, and program / category eligibility;
3. write set-based: old current rows are demoted with one UPDATE before the new rows are bulk-inserted
   (one current row per client, enforced by a partial unique index), unchanged current rows get their
   ``as_of`` / ``next_change_on`` refreshed with one bulk UPDATE, and only eligibility rows whose result
   changed are upserted (``INSERT ... ON CONFLICT``) or deleted.

History: a new ``CRSScore`` row is written only when the inputs hash (sha256 of the canonical profile
JSON without ``as_of``, plus the rule-set id) or the total differs from the current row. Recomputing
twice is therefore harmless (idempotent).

Partial facts: a client without a date of birth, a valid language result or an education record gets
no score. Their previous rows are kept as history but none stays current, and their eligibility rows
are deleted (so no draw flags them on stale data). ``firm.facts.missing_facts`` says what is
missing.

After a recompute that changed a total, an eligibility outcome or the scored/unscored state, the draws
module is asked to re-flag recent draws for those clients, if it offers the hook
(``scoring.services.flagging.clients_flag_recent_draws(client_ids=...)`` or
``client_flag_recent_draws(client_id=...)``); without it nothing happens.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from firm.facts import (
    ClientSnapshot,
    fact_change_dates,
    load_snapshots,
    missing_facts,
    person_facts,
)
from firm.models import Client
from scoring.crs.categories import VERSIONS, CategoryVersion, category_eligibility
from scoring.crs.dates import years_back
from scoring.crs.eligibility import Criterion, program_eligibility
from scoring.crs.engine import CRSProfile, CRSResult, score
from scoring.crs.facts import PersonFacts, best_language_results, build_profile, next_change_date
from scoring.crs.rulesets import ruleset_for
from scoring.models import CRSScore, Eligibility
from scoring.services import flagging

logger = logging.getLogger(__name__)

#: Category versions in force at any time within this many years before ``as_of`` get stored
#: eligibility (draws are held under a specific version; see scoring.crs.categories.VERSIONS).
CATEGORY_LOOKBACK_YEARS = 3
#: The nightly job also re-evaluates clients last evaluated this many days ago or more, because
#: eligibility (e.g. months of work in a category within 3 years) can change on days the score does not.
ELIGIBILITY_REFRESH_DAYS = 7
DEFAULT_BATCH_SIZE = 1000

EligibilityKey = tuple[str, str]  # (program or category, version key or "")
EligibilityValue = tuple[str, list[dict[str, str]], dict[str, Any]]  # (outcome, criteria, detail)


# ------------------------------------------------------------------------------------------------------
# Pure evaluation (no database)
# ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Everything stored for one client on one date."""

    as_of: date
    payload: dict[str, Any]  # the calculator-contract input (scoring.crs.contract)
    result: CRSResult
    inputs_hash: str
    next_change_on: date | None
    eligibility: dict[EligibilityKey, EligibilityValue] = field(default_factory=dict)


def category_versions_for(as_of: date, *, years: int = CATEGORY_LOOKBACK_YEARS) -> list[CategoryVersion]:
    """Category versions in force at some time in [as_of - years, as_of] (current one last)."""
    since = years_back(as_of, years)
    out = []
    ordered = sorted(VERSIONS, key=lambda v: v.effective_from)
    for i, v in enumerate(ordered):
        ends = ordered[i + 1].effective_from if i + 1 < len(ordered) else None
        if v.effective_from <= as_of and (ends is None or ends > since):
            out.append(v)
    return out


def _criteria_json(criteria: Iterable[Criterion]) -> list[dict[str, str]]:
    return [{"key": c.key, "status": c.status, "reason": c.reason, "source": c.source} for c in criteria]


def eligibility_results(facts: PersonFacts, as_of: date) -> dict[EligibilityKey, EligibilityValue]:
    """Program (fsw, cec, fst; version "") and category (per version key) eligibility on ``as_of``."""
    programs = program_eligibility(facts, as_of)
    out: dict[EligibilityKey, EligibilityValue] = {
        (key, ""): (p.status, _criteria_json(p.criteria), dict(p.details)) for key, p in programs.items()
    }
    for version in category_versions_for(as_of):
        for cat, ce in category_eligibility(facts, as_of, version.key, programs=programs).items():
            out[(cat, version.key)] = (ce.status, _criteria_json(ce.criteria), {})
    return out


def _language_json(
    tests: Sequence[Any], as_of: date, code: str, levels: tuple[int, int, int, int]
) -> dict[str, Any]:
    """The raw result that produced ``levels`` (so the lawyer sees the test), else the levels themselves."""
    best = best_language_results(tests, as_of)
    if code in best and best[code][1] == levels:
        t = best[code][0]
        return {"test": t.test, **t.scores, "test_date": t.test_date.isoformat()}
    for t, lv in best.values():
        if lv == levels:
            return {"test": t.test, **t.scores, "test_date": t.test_date.isoformat()}
    scale = "nclc" if code == "fr" else "clb"
    return dict(zip(("listening", "reading", "writing", "speaking"), levels, strict=True)) | {"test": scale}


def profile_payload(facts: PersonFacts, profile: CRSProfile, as_of: date) -> dict[str, Any]:
    """The calculator-contract JSON of a profile: ``scoring.crs.contract.calculate`` of it gives the
    same total. Stored in ``CRSScore.profile`` so that a lawyer sees the exact inputs."""
    payload: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "date_of_birth": facts.date_of_birth.isoformat(),
        "marital_status": facts.marital_status,
        "education": profile.education,
        "first_language": _language_json(
            facts.language_tests, as_of, profile.first_language_code, profile.first_language
        ),
        "canadian_work_years": profile.canadian_work_years,
        "foreign_work_years": profile.foreign_work_years,
        "certificate_of_qualification": profile.certificate_of_qualification,
        "canadian_education": profile.canadian_education,
        "arranged_employment": profile.arranged_employment,
        "provincial_nomination": profile.nomination,
        "sibling_in_canada": profile.sibling,
    }
    if profile.second_language is not None:
        other = "fr" if profile.first_language_code == "en" else "en"
        payload["second_language"] = _language_json(
            facts.language_tests, as_of, other, profile.second_language
        )
    if facts.marital_status in ("married", "common_law"):
        payload["spouse_accompanying"] = facts.spouse_accompanying
        payload["spouse_canadian"] = facts.spouse_canadian
    if profile.with_spouse:
        spouse: dict[str, Any] = {
            "education": profile.spouse_education,
            "canadian_work_years": profile.spouse_canadian_work_years,
        }
        if profile.spouse_language is not None and facts.spouse is not None:
            tests = facts.spouse.language_tests
            sp_best = best_language_results(tests, as_of)
            code = next((c for c, (_, lv) in sp_best.items() if lv == profile.spouse_language), "en")
            spouse["first_language"] = _language_json(tests, as_of, code, profile.spouse_language)
        payload["spouse"] = spouse
    return payload


def inputs_hash(payload: dict[str, Any], rule_set: str) -> str:
    """sha256 of the canonical profile JSON (without ``as_of``) and the rule-set id."""
    body = {k: v for k, v in payload.items() if k != "as_of"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(f"{text}|{rule_set}".encode()).hexdigest()


def _total_on(stored: ClientSnapshot, day: date) -> int | None:
    facts = person_facts(stored, day)
    if facts is None:
        return None
    rules = ruleset_for(day)
    return score(build_profile(facts, day, rules), rules).total


def next_change_on(stored: ClientSnapshot, facts: PersonFacts, as_of: date, total: int) -> date | None:
    """The next date after ``as_of`` on which the total changes by itself.

    The engine's ``next_change_date`` covers birthdays, work anniversaries and the 10-year window,
    language-result and ECA expiry and future rule sets, for fixed facts. The dated rows resolved by the
    adapter (a job offer or a nomination that starts or ends) are checked on top of it.
    """
    day, current_facts = as_of, facts
    boundaries = fact_change_dates(stored, as_of)
    while True:
        engine_next = next_change_date(current_facts, day)
        pending = [b for b in boundaries if day < b and (engine_next is None or b < engine_next)]
        if not pending:
            return engine_next
        day = pending[0]
        if _total_on(stored, day) != total:
            return day
        refreshed = person_facts(stored, day)
        if refreshed is None:  # pragma: no cover - the date of birth cannot disappear
            return day
        current_facts = refreshed


def evaluate(stored: ClientSnapshot, as_of: date, *, with_eligibility: bool = True) -> Evaluation | None:
    """Score one client's stored facts on ``as_of`` (None when facts are missing: ``missing_facts``)."""
    if missing_facts(stored, as_of):
        return None
    facts = person_facts(stored, as_of)
    if facts is None:  # pragma: no cover - missing_facts checks the date of birth
        return None
    rules = ruleset_for(as_of)
    profile = build_profile(facts, as_of, rules)
    result = score(profile, rules)
    payload = profile_payload(facts, profile, as_of)
    return Evaluation(
        as_of=as_of,
        payload=payload,
        result=result,
        inputs_hash=inputs_hash(payload, rules.id),
        next_change_on=next_change_on(stored, facts, as_of, result.total),
        eligibility=eligibility_results(facts, as_of) if with_eligibility else {},
    )


# ------------------------------------------------------------------------------------------------------
# Persistence (set-based, one transaction per batch)
# ------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class RecomputeReport:
    clients: int = 0
    created: int = 0  # new CRSScore rows (something changed)
    refreshed: int = 0  # current row kept, as_of / next_change_on updated
    unscored: int = 0  # not enough facts: no current score
    eligibility_written: int = 0
    eligibility_deleted: int = 0
    changed_client_ids: list[int] = field(default_factory=list)

    def add(self, other: RecomputeReport) -> None:
        self.clients += other.clients
        self.created += other.created
        self.refreshed += other.refreshed
        self.unscored += other.unscored
        self.eligibility_written += other.eligibility_written
        self.eligibility_deleted += other.eligibility_deleted
        self.changed_client_ids.extend(other.changed_client_ids)


def _score_row(stored: ClientSnapshot, ev: Evaluation) -> CRSScore:
    r = ev.result
    return CRSScore(
        firm_id=stored.firm_id,
        client_id=stored.client_id,
        total=r.total,
        core=r.sections["core"],
        spouse=r.sections["spouse"],
        transferability=r.sections["transferability"],
        additional=r.sections["additional"],
        breakdown=r.breakdown,
        profile=ev.payload,
        rule_set=r.rule_set,
        inputs_hash=ev.inputs_hash,
        as_of=ev.as_of,
        next_change_on=ev.next_change_on,
        is_current=True,
    )


def eligibility_fingerprint(eligibility: dict[EligibilityKey, EligibilityValue]) -> str:
    """A hash of a client's whole eligibility result (stored on the score as ``eligibility_hash``)."""
    body = [[program, version, *value] for (program, version), value in sorted(eligibility.items())]
    # Key order is fixed by the code that builds the rows, so no sort_keys (this runs for every client).
    text = json.dumps(body, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _refresh_current(rows: list[tuple[date, date | None, str, int]]) -> None:
    """UPDATE as_of, next_change_on and eligibility_hash of current rows (one pipelined statement)."""
    ops = connection.ops
    params = [(ops.adapt_datefield_value(a), ops.adapt_datefield_value(n), h, pk) for a, n, h, pk in rows]
    table = connection.ops.quote_name(CRSScore._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET as_of = %s, next_change_on = %s, eligibility_hash = %s WHERE id = %s",  # noqa: S608
            params,
        )


def recompute_clients(client_ids: Iterable[int], *, as_of: date) -> RecomputeReport:
    """Recompute and store the scores and eligibility of these clients on ``as_of`` (one transaction).

    Set-based: a fixed number of queries per call whatever the number of clients (keep batches to a
    few thousand). Clients that do not exist are skipped. Safe to run twice.

    Eligibility rows are rewritten only for clients whose eligibility fingerprint differs from the one
    stored on their current score (``CRSScore.eligibility_hash``), so an unchanged client costs no
    eligibility read or write at all.
    """
    ids = sorted(set(client_ids))
    report = RecomputeReport()
    if not ids:
        return report
    with transaction.atomic():
        locked = list(
            Client.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
        stored_by_id = load_snapshots(locked)
        current: dict[int, tuple[int, int, str, str, str]] = {
            row[1]: (row[0], *row[2:])
            for row in CRSScore.objects.filter(client_id__in=locked, is_current=True).values_list(
                "pk", "client_id", "total", "inputs_hash", "rule_set", "eligibility_hash"
            )
        }

        demote: list[int] = []
        new_rows: list[CRSScore] = []
        refresh: list[tuple[date, date | None, str, int]] = []
        unscored: list[int] = []
        rewrite: dict[int, tuple[int, dict[EligibilityKey, EligibilityValue]]] = {}  # cid -> (firm, rows)
        changed: set[int] = set()
        for cid in locked:
            stored = stored_by_id[cid]
            ev = evaluate(stored, as_of)
            old = current.get(cid)
            report.clients += 1
            if ev is None:
                report.unscored += 1
                unscored.append(cid)
                if old is not None:
                    demote.append(old[0])
                    changed.add(cid)
                continue
            fingerprint = eligibility_fingerprint(ev.eligibility)
            if (
                old is None
                or old[1] != ev.result.total
                or old[2] != ev.inputs_hash
                or old[3] != ev.result.rule_set
            ):
                if old is not None:
                    demote.append(old[0])
                row = _score_row(stored, ev)
                row.eligibility_hash = fingerprint
                new_rows.append(row)
                if old is None or old[1] != ev.result.total:
                    changed.add(cid)
            else:
                refresh.append((as_of, ev.next_change_on, fingerprint, old[0]))
            if old is None or old[4] != fingerprint:
                rewrite[cid] = (stored.firm_id, ev.eligibility)

        if demote:
            CRSScore.objects.filter(pk__in=demote).update(is_current=False)
        if new_rows:
            CRSScore.objects.bulk_create(new_rows, batch_size=500)
        if refresh:
            _refresh_current(refresh)
        if unscored:
            report.eligibility_deleted += Eligibility.objects.filter(client_id__in=unscored).delete()[0]
        if rewrite:
            _rewrite_eligibility(rewrite, as_of, report, changed)
        report.created = len(new_rows)
        report.refreshed = len(refresh)
        report.changed_client_ids = sorted(changed)
        if changed:
            _publish_score_changes(changed, stored_by_id, current, new_rows)
            ids_changed = report.changed_client_ids
            transaction.on_commit(
                lambda: flagging.clients_flag_recent_draws(client_ids=ids_changed), robust=True
            )
            transaction.on_commit(lambda: notify_outlook(client_ids=ids_changed), robust=True)
    return report


def _publish_score_changes(
    changed: set[int], stored_by_id: dict[int, Any], current: dict[int, tuple], new_rows: list[CRSScore]
) -> None:
    """One `score.changed` event per client whose total changed (in the recompute's transaction)."""
    from firm.events import Event, publish_many

    totals = {row.client_id: row.total for row in new_rows}
    publish_many(
        Event(
            type="score.changed",
            firm_id=stored_by_id[cid].firm_id,
            data={
                "client_id": cid,
                "previous_total": current[cid][1] if cid in current else None,
                "total": totals.get(cid),
            },
        )
        for cid in sorted(changed)
    )


def _upsert_eligibility(rows: list[tuple[Any, ...]]) -> None:
    """INSERT ... ON CONFLICT (client, program, version) DO UPDATE, one pipelined statement.

    Rows: (firm_id, client_id, program, version, outcome, criteria, detail, as_of). Raw SQL because the
    ORM's bulk upsert spends most of its time building model instances; the statement is the same on
    SQLite and PostgreSQL (JSON is cast to jsonb on PostgreSQL).
    """
    ops = connection.ops
    now = timezone.now()
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    table = ops.quote_name(Eligibility._meta.db_table)
    sql = (
        f"INSERT INTO {table} (firm_id, client_id, program, version, outcome, criteria, detail, as_of, "  # noqa: S608
        f"computed_at) VALUES (%s, %s, %s, %s, %s, {json_param}, {json_param}, %s, %s) "
        "ON CONFLICT (client_id, program, version) DO UPDATE SET firm_id = excluded.firm_id, "
        "outcome = excluded.outcome, criteria = excluded.criteria, detail = excluded.detail, "
        "as_of = excluded.as_of, computed_at = excluded.computed_at"
    )
    computed_at = ops.adapt_datetimefield_value(now)
    params = [
        (
            firm_id,
            client_id,
            program,
            version,
            outcome,
            json.dumps(criteria, separators=(",", ":")),
            json.dumps(detail, separators=(",", ":")),
            ops.adapt_datefield_value(as_of),
            computed_at,
        )
        for firm_id, client_id, program, version, outcome, criteria, detail, as_of in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _rewrite_eligibility(
    rewrite: dict[int, tuple[int, dict[EligibilityKey, EligibilityValue]]],
    as_of: date,
    report: RecomputeReport,
    changed: set[int],
) -> None:
    """For clients whose eligibility fingerprint changed: upsert the rows that differ, delete lost rows."""
    existing: dict[int, dict[EligibilityKey, tuple[int, EligibilityValue]]] = {}
    for pk, cid, program, version, outcome, criteria, detail in Eligibility.objects.filter(
        client_id__in=list(rewrite)
    ).values_list("pk", "client_id", "program", "version", "outcome", "criteria", "detail"):
        existing.setdefault(cid, {})[(program, version)] = (pk, (outcome, criteria, detail))
    upserts: list[tuple[Any, ...]] = []
    deletes: list[int] = []
    for cid, (firm_id, rows) in rewrite.items():
        old = existing.get(cid, {})
        for key, value in rows.items():
            prev = old.get(key)
            if prev is not None and prev[1] == value:
                continue
            if prev is None or prev[1][0] != value[0]:
                changed.add(cid)
            upserts.append((firm_id, cid, key[0], key[1], value[0], value[1], value[2], as_of))
        gone = [pk for key, (pk, _) in old.items() if key not in rows]
        if gone:
            deletes.extend(gone)
            changed.add(cid)
    if deletes:
        Eligibility.objects.filter(pk__in=deletes).delete()
    if upserts:
        _upsert_eligibility(upserts)
    report.eligibility_written += len(upserts)
    report.eligibility_deleted += len(deletes)


def notify_outlook(*, client_ids: list[int]) -> None:
    """Recompute the stored ITA outlook of clients whose score changed (Celery, scoring.services.outlook)."""
    from scoring.services.outlook import enqueue_outlooks

    enqueue_outlooks(list(client_ids))


def local_today() -> date:
    return timezone.localdate()


def client_recompute(*, client_id: int, as_of: date | None = None) -> CRSScore | None:
    """Recompute one client's score and eligibility on ``as_of`` (default today); the current score
    afterwards, or None when the client does not exist or lacks the facts for a score."""
    recompute_clients([client_id], as_of=as_of or local_today())
    return CRSScore.objects.filter(client_id=client_id, is_current=True).first()


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield list(ids[i : i + size])


def scores_due_client_ids(*, today: date | None = None) -> list[int]:
    """Clients whose current score must be recomputed on ``today``.

    Those whose next change date has come, those scored under another rule set than today's (a new
    rule set recomputes everyone), and those last evaluated ``ELIGIBILITY_REFRESH_DAYS`` or more ago.
    """
    today = today or local_today()
    refresh_days = getattr(settings, "SCORING_ELIGIBILITY_REFRESH_DAYS", ELIGIBILITY_REFRESH_DAYS)
    due = (
        Q(next_change_on__lte=today)
        | ~Q(rule_set=ruleset_for(today).id)
        | Q(as_of__lte=today - timedelta(days=refresh_days))
    )
    return list(
        CRSScore.objects.filter(is_current=True)
        .filter(due)
        .order_by("client_id")
        .values_list("client_id", flat=True)
    )


def scores_recompute_batches(
    client_ids: Sequence[int], *, today: date, batch_size: int = DEFAULT_BATCH_SIZE
) -> RecomputeReport:
    report = RecomputeReport()
    for chunk in _chunks(client_ids, batch_size):
        report.add(recompute_clients(chunk, as_of=today))
    return report


def scores_recompute_due(*, today: date | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """The nightly job: recompute the due clients (``scores_due_client_ids``) in batches. Returns how
    many clients were recomputed. Idempotent: a second run the same day finds nobody due."""
    today = today or local_today()
    ids = scores_due_client_ids(today=today)
    report = scores_recompute_batches(ids, today=today, batch_size=batch_size)
    logger.info(
        "scores_recompute_due %s: %d clients, %d new rows, %d refreshed, %d unscored",
        today,
        report.clients,
        report.created,
        report.refreshed,
        report.unscored,
    )
    return report.clients


def scores_recompute_all(*, today: date | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Recompute every client (with or without a score) in batches. Returns the number of clients."""
    today = today or local_today()
    ids = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    return scores_recompute_batches(ids, today=today, batch_size=batch_size).clients


__all__ = [
    "Evaluation",
    "RecomputeReport",
    "category_versions_for",
    "client_recompute",
    "eligibility_fingerprint",
    "eligibility_results",
    "evaluate",
    "inputs_hash",
    "next_change_on",
    "profile_payload",
    "recompute_clients",
    "scores_due_client_ids",
    "scores_recompute_all",
    "scores_recompute_batches",
    "scores_recompute_due",
]
