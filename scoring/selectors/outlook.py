"""Rounds for the ITA outlook, read from the database (``Draw``) as the pure engine's RoundRecord."""

from __future__ import annotations

from datetime import date

from scoring.models import Draw
from scoring.outlook import RoundRecord
from scoring.outlook.sources import snapshot_records


def outlook_rounds(as_of: date) -> tuple[list[RoundRecord], str]:
    """The rounds dated on or before ``as_of`` and where they came from.

    If the database holds no round at all (a fresh install), the snapshot shipped with the code
    (rounds 1-300, to 2024-07-04) is used instead, and the source says so.
    """
    if not Draw.objects.exists():
        return [r for r in snapshot_records() if r.draw_date <= as_of], "snapshot"
    rows = (
        Draw.objects.filter(draw_date__lte=as_of)
        .exclude(category="unknown")
        .order_by("draw_date", "draw_number")
        .values_list(
            "draw_date", "category", "min_crs", "tie_break_at", "run_at", "distribution", "distribution_as_of"
        )
    )
    records = [
        RoundRecord(
            draw_date=d,
            category=c,
            min_crs=m,
            tie_break_at=t,
            run_at=r,
            distribution=dist or {},
            distribution_as_of=da,
        )
        for d, c, m, t, r, dist, da in rows
    ]
    return records, "database"
