"""Recompute the stored ITA outlook (``ClientOutlook``) of many clients at once.

One model fit per run (scoring.outlook.fit on the rounds dated on or before the day), then one
probability table per distinct set of kinds of rounds (a handful), so the per-client work is a lookup.
Inputs per client, read in bulk: the current CRS total (CRSScore), the eligible programs and categories
(Eligibility rows with outcome "eligible"), an enhanced provincial nomination in force ("pnp"), and the
Express Entry profile submission time (the tie-break). Rows are upserted in batches.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from firm.models import Client, ProvincialNomination
from scoring.models import ClientOutlook, CRSScore, Draw, Eligibility
from scoring.outlook import OutlookModel, fit, kinds_open_to
from scoring.outlook.pool import candidates_above, fine_bands
from scoring.selectors.outlook import outlook_rounds

logger = logging.getLogger(__name__)


def client_eligible_for(client_ids: Iterable[int] | None, as_of: date) -> dict[int, set[str]]:
    """Round-kind keys per client: eligible programs/categories, plus ``pnp`` with a nomination in force."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = Eligibility.objects.filter(outcome=Eligibility.Outcome.ELIGIBLE)
    noms = ProvincialNomination.objects.filter(enhanced=True, nominated_on__lte=as_of).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=as_of)
    )
    if client_ids is not None:
        ids = list(client_ids)
        rows, noms = rows.filter(client_id__in=ids), noms.filter(client_id__in=ids)
    for client_id, program in rows.values_list("client_id", "program").iterator(chunk_size=5000):
        out[client_id].add(program)
    for (client_id,) in noms.values_list("client_id").iterator(chunk_size=5000):
        out[client_id].add("pnp")
    return out


class _Tables:
    """Probability per (kinds, threshold) and the pool rank per score, computed once per run."""

    def __init__(self, model: OutlookModel) -> None:
        self.model = model
        self._tables: dict[frozenset[str], np.ndarray] = {}
        bands = fine_bands(model.distribution)
        self.pool_size = sum(b.count for b in bands) or None
        self.above = [candidates_above(bands, s) for s in range(1201)] if bands else None
        earlier = fine_bands(model.previous_distribution)
        self.above_before = [round(candidates_above(earlier, s)) for s in range(1201)] if earlier else None

    def probs(self, kinds: frozenset[str], threshold: int) -> list[float]:
        table = self._tables.get(kinds)
        if table is None:
            table = self._tables[kinds] = self.model.table(kinds)
        return [round(float(v), 4) for v in table[:, min(threshold, table.shape[1] - 1)]]


COLUMNS = (
    "firm_id",
    "client_id",
    "as_of",
    "score",
    "eligible_for",
    "kinds",
    "p_90",
    "p_180",
    "p_365",
    "by_kind",
    "candidates_above",
    "pool_size",
    "pool_percentile",
    "distribution_as_of",
    "candidates_above_before",
    "previous_distribution_as_of",
    "computed_at",
)


class _Rows:
    """Builds row tuples (COLUMNS order); the part shared by clients with the same inputs is cached."""

    def __init__(self, tables: _Tables, now: datetime) -> None:
        self.tables = tables
        self.now = now
        self._cache: dict[tuple[frozenset[str], frozenset[str], int, int], tuple[Any, ...]] = {}

    def row(
        self, firm_id: int, client_id: int, score: int, eligible: frozenset[str], tie: bool
    ) -> tuple[Any, ...]:
        threshold = score + (1 if tie else 0)
        key = (eligible, kinds_open_to(eligible), score, threshold)
        shared = self._cache.get(key)
        if shared is None:
            shared = self._cache[key] = self._shared(*key)
        return (firm_id, client_id, *shared)

    def _shared(
        self, eligible: frozenset[str], kinds: frozenset[str], score: int, threshold: int
    ) -> tuple[Any, ...]:
        t = self.tables
        p = t.probs(kinds, threshold)
        by_kind = {k: t.probs(frozenset({k}), threshold) for k in sorted(kinds)}
        above = t.above[min(score, 1200)] if t.above is not None else None
        percentile = (
            round(100.0 * (1.0 - above / t.pool_size), 2) if above is not None and t.pool_size else None
        )
        return (
            t.model.as_of,
            score,
            json.dumps(sorted(eligible)),
            json.dumps(sorted(kinds)),
            p[0],
            p[1],
            p[2],
            json.dumps(by_kind),
            round(above) if above is not None else None,
            t.pool_size,
            percentile,
            t.model.distribution_as_of,
            t.above_before[min(score, 1200)] if t.above_before is not None else None,
            t.model.previous_distribution_as_of,
            self.now,
        )


def outlooks_recompute(*, client_ids: Iterable[int] | None = None, as_of: date | None = None) -> int:
    """Recompute the outlook of these clients (all clients with a current score if None). Returns rows."""
    as_of = as_of or timezone.localdate()
    ids = list(client_ids) if client_ids is not None else None
    model, n_rounds, source = outlook_model(as_of)
    now = timezone.now()
    rows = _Rows(_Tables(model), now)
    scores = CRSScore.objects.filter(is_current=True)
    clients = Client.objects.all()
    if ids is not None:
        scores, clients = scores.filter(client_id__in=ids), clients.filter(id__in=ids)
    eligible = {cid: frozenset(keys) for cid, keys in client_eligible_for(ids, as_of).items()}
    submitted = dict(
        clients.exclude(ee_profile_submitted_at=None).values_list("id", "ee_profile_submitted_at")
    )
    empty: frozenset[str] = frozenset()
    out = [
        rows.row(
            firm_id,
            client_id,
            total,
            eligible.get(client_id, empty),
            model.tie_counts(submitted.get(client_id)),
        )
        for client_id, firm_id, total in scores.values_list("client_id", "firm_id", "total").iterator(
            chunk_size=10000
        )
    ]
    with transaction.atomic():
        _write(out)
        stale = ClientOutlook.objects.filter(computed_at__lt=now)
        if ids is not None:
            stale = stale.filter(client_id__in=ids)
        stale.delete()  # clients without a current score any more
    logger.info("outlook: %s rows as of %s from %s rounds (%s)", len(out), as_of, n_rounds, source)
    return len(out)


def _write(rows: list[tuple[Any, ...]]) -> None:
    """Upsert by client: COPY into a temporary table and one INSERT ... ON CONFLICT on PostgreSQL."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [ClientOutlook(**dict(zip(COLUMNS, _decode(r), strict=True))) for r in rows]
        fields = [c.removesuffix("_id") for c in COLUMNS if c != "client_id"]
        ClientOutlook.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["client"], update_fields=fields
        )
        return
    table = connection.ops.quote_name(ClientOutlook._meta.db_table)
    cols = ", ".join(COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "client_id")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tmp_outlook")  # inside a caller's transaction: a fresh one
        cursor.execute(
            f"CREATE TEMP TABLE tmp_outlook ON COMMIT DROP AS SELECT {cols} FROM {table} WITH NO DATA"  # noqa: S608 - fixed names
        )
        raw = cursor.cursor  # the psycopg cursor, for COPY
        with raw.copy(f"COPY tmp_outlook ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM tmp_outlook ON CONFLICT (client_id) DO UPDATE SET {updates}"  # noqa: S608 - fixed names
        )
        cursor.execute("DROP TABLE tmp_outlook")


def _decode(row: tuple[Any, ...]) -> tuple[Any, ...]:
    json_cols = {"eligible_for", "kinds", "by_kind"}
    return tuple(json.loads(v) if c in json_cols else v for c, v in zip(COLUMNS, row, strict=True))


_MODEL_CACHE: dict[tuple[Any, ...], OutlookModel] = {}


def outlook_model(as_of: date) -> tuple[OutlookModel, int, str]:
    """The fitted model for a day, cached in the process while the stored rounds do not change."""
    latest = Draw.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    key = (as_of, latest["n"], latest["changed"])
    model = _MODEL_CACHE.get(key)
    rounds, source = outlook_rounds(as_of)
    if model is None:
        _MODEL_CACHE.clear()
        model = _MODEL_CACHE[key] = fit(rounds, as_of)
    return model, len(rounds), source


def enqueue_outlooks(client_ids: list[int] | None = None) -> None:
    """Ask Celery to recompute outlooks (after commit). A broker failure is logged, never raised: the
    nightly run and the next round catch up."""
    from scoring.tasks.outlook import outlooks_recompute_task

    try:
        outlooks_recompute_task.delay(client_ids)
    except Exception:  # broker down: the outlook is advice, a later run refreshes it
        logger.exception("outlook: could not enqueue the recompute")
