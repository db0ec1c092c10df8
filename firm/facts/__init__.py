"""The one facts pipeline: a client's stored rows -> one immutable snapshot (snapshot.py) -> the CRS
engine's facts (crs.py) and the pathway assessors' facts (pathways.py). See docs/architecture.md."""

from firm.facts.crs import fact_change_dates, missing_facts, person_facts
from firm.facts.snapshot import ClientSnapshot, load_snapshot, load_snapshots, snapshot_of, with_facts

__all__ = [
    "ClientSnapshot",
    "fact_change_dates",
    "load_snapshot",
    "load_snapshots",
    "missing_facts",
    "person_facts",
    "snapshot_of",
    "with_facts",
]
