"""Recompute the stored ITA outlook (``ClientOutlook``) of many clients at once.

One model fit per run (scoring.outlook.fit on the rounds dated on or before the day), then one
probability table per distinct set of kinds of rounds (a handful), so the per-client work is a lookup.
Inputs per client, read in bulk: the current CRS total (CRSScore), the eligible programs and categories
(Eligibility rows with outcome "eligible"), an enhanced provincial nomination in force ("pnp"), and the
Express Entry profile submission time (the tie-break). Rows are upserted in batches.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q
from django.utils import timezone

from firm.models import Client, ProvincialNomination
from scoring.models import ClientOutlook, CRSScore, Draw, Eligibility
from scoring.outlook import OutlookModel, fit, kinds_open_to
from scoring.outlook.pool import candidates_above, fine_bands
from scoring.selectors.outlook import outlook_rounds

logger = logging.getLogger(__name__)
BATCH = 2000


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

    def probs(self, kinds: frozenset[str], threshold: int) -> list[float]:
        table = self._tables.get(kinds)
        if table is None:
            table = self._tables[kinds] = self.model.table(kinds)
        return [round(float(v), 4) for v in table[:, min(threshold, table.shape[1] - 1)]]


def _row(
    tables: _Tables, firm_id: int, client_id: int, score: int, eligible: set[str], tie: bool, now: datetime
) -> ClientOutlook:
    kinds = kinds_open_to(eligible)
    threshold = score + (1 if tie else 0)
    p = tables.probs(kinds, threshold)
    by_kind = {k: tables.probs(frozenset({k}), threshold) for k in sorted(kinds)}
    above = tables.above[min(score, 1200)] if tables.above is not None else None
    pool = tables.pool_size
    return ClientOutlook(
        firm_id=firm_id,
        client_id=client_id,
        as_of=tables.model.as_of,
        score=score,
        eligible_for=sorted(eligible),
        kinds=sorted(kinds),
        p_90=p[0],
        p_180=p[1],
        p_365=p[2],
        by_kind=by_kind,
        candidates_above=round(above) if above is not None else None,
        pool_size=pool,
        pool_percentile=round(100.0 * (1.0 - above / pool), 2) if above is not None and pool else None,
        distribution_as_of=tables.model.distribution_as_of,
        computed_at=now,
    )


def outlooks_recompute(*, client_ids: Iterable[int] | None = None, as_of: date | None = None) -> int:
    """Recompute the outlook of these clients (all clients with a current score if None). Returns rows."""
    as_of = as_of or timezone.localdate()
    ids = list(client_ids) if client_ids is not None else None
    model, n_rounds, source = outlook_model(as_of)
    tables = _Tables(model)
    scores = CRSScore.objects.filter(is_current=True)
    clients = Client.objects.all()
    if ids is not None:
        scores, clients = scores.filter(client_id__in=ids), clients.filter(id__in=ids)
    eligible = client_eligible_for(ids, as_of)
    submitted = dict(
        clients.exclude(ee_profile_submitted_at=None).values_list("id", "ee_profile_submitted_at")
    )
    now = timezone.now()
    batch: list[ClientOutlook] = []
    written = 0
    fields = [f.name for f in ClientOutlook._meta.concrete_fields if f.name not in ("id", "client")]
    for client_id, firm_id, total in scores.values_list("client_id", "firm_id", "total").iterator(
        chunk_size=5000
    ):
        tie = tables.model.tie_counts(submitted.get(client_id))
        batch.append(_row(tables, firm_id, client_id, total, eligible.get(client_id, set()), tie, now))
        if len(batch) >= BATCH:
            written += _flush(batch, fields)
    written += _flush(batch, fields)
    stale = ClientOutlook.objects.filter(computed_at__lt=now)
    if ids is not None:
        stale = stale.filter(client_id__in=ids)
    stale.delete()  # clients without a current score any more
    logger.info("outlook: %s rows as of %s from %s rounds (%s)", written, as_of, n_rounds, source)
    return written


def _flush(batch: list[ClientOutlook], fields: list[str]) -> int:
    if not batch:
        return 0
    ClientOutlook.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=["client"], update_fields=fields
    )
    n = len(batch)
    batch.clear()
    return n


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
