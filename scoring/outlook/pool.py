"""The Express Entry pool: a client's rank in IRCC's published CRS distribution.

Pure Python: no Django imports.

IRCC publishes, with each round, how many candidates were in the pool per CRS band on a date
(``drawDistributionAsOn``, ``dd1``..``dd18``; parsed into ``Draw.distribution`` as band label ->
count by scoring.draws.feed). The finest bands are used: 601-1200, 501-600, the ten 10-point
sub-bands from 401 to 500, 351-400, 301-350 and 0-300.

Interpolation inside a band: **uniform**. A band ``lo-hi`` holding ``n`` candidates is read as
``n / (hi - lo + 1)`` candidates on each whole score from ``lo`` to ``hi``. So a client at 455 in the
451-460 band (1,000 candidates) has 5 x 100 = 500 of that band above them. The total is the sum of the
finest bands (on round #247 IRCC's own sub-bands do not add up to their band; the sum keeps the
percentile between 0 and 100).

``candidates_above``: candidates with a CRS strictly above the score. ``percentile``: the share of the
pool at or below the score, 0-100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

#: Finest bands, highest first. A parent band (451-500, 401-450) is used only when its sub-bands
#: are missing.
FINE_BANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("601-1200", ()),
    ("501-600", ()),
    ("451-500", ("491-500", "481-490", "471-480", "461-470", "451-460")),
    ("401-450", ("441-450", "431-440", "421-430", "411-420", "401-410")),
    ("351-400", ()),
    ("301-350", ()),
    ("0-300", ()),
)
MAX_CRS = 1200


@dataclass(frozen=True, slots=True)
class Band:
    lo: int
    hi: int
    count: int


@dataclass(frozen=True, slots=True)
class PoolRank:
    score: int
    candidates_above: int
    pool_size: int
    percentile: float  # share of the pool at or below the score, 0-100
    distribution_as_of: date | None


def _parse_label(label: str) -> tuple[int, int]:
    lo, hi = label.split("-")
    return int(lo), int(hi)


def fine_bands(distribution: Mapping[str, int]) -> list[Band]:
    """The finest bands of a stored distribution (empty if IRCC published none)."""
    bands: list[Band] = []
    for parent, parts in FINE_BANDS:
        if parts and all(p in distribution for p in parts):
            labels: tuple[str, ...] = parts
        elif parent in distribution:
            labels = (parent,)
        else:
            continue
        for label in labels:
            lo, hi = _parse_label(label)
            bands.append(Band(lo, hi, max(0, int(distribution[label]))))
    return bands if sum(b.count for b in bands) > 0 else []


def candidates_above(bands: list[Band], score: int) -> float:
    """Candidates with a CRS strictly above ``score`` (uniform inside a band; may be fractional)."""
    above = 0.0
    for band in bands:
        if score < band.lo:
            above += band.count
        elif score < band.hi:
            above += band.count * (band.hi - score) / (band.hi - band.lo + 1)
    return above


def rank(distribution: Mapping[str, int], score: int, as_of: date | None = None) -> PoolRank | None:
    """A score's place in a distribution; None if the distribution is empty."""
    bands = fine_bands(distribution)
    if not bands:
        return None
    score = max(0, min(MAX_CRS, int(score)))
    total = sum(b.count for b in bands)
    above = candidates_above(bands, score)
    percentile = round(100.0 * (1.0 - above / total), 2)
    return PoolRank(
        score=score,
        candidates_above=round(above),
        pool_size=total,
        percentile=min(100.0, max(0.0, percentile)),
        distribution_as_of=as_of,
    )
