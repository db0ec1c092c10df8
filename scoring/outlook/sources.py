"""RoundRecord from the feed parser's rounds (pure; the Django adapter is in scoring.selectors.outlook)."""

from __future__ import annotations

from scoring.draws import ParsedRound, load_snapshot, parse_feed
from scoring.outlook.model import RoundRecord


def record_from_parsed(parsed: ParsedRound) -> RoundRecord:
    return RoundRecord(
        draw_date=parsed.draw_date,
        category=parsed.category,
        min_crs=parsed.min_crs,
        tie_break_at=parsed.tie_break_at,
        run_at=parsed.run_at,
        distribution=dict(parsed.distribution),
        distribution_as_of=parsed.distribution_as_of,
    )


def records_from_feed(data: bytes | str | dict | list) -> list[RoundRecord]:
    """Every parseable round of a feed document, oldest first (first copy of a duplicated number)."""
    seen: set[str] = set()
    out: list[RoundRecord] = []
    for parsed in parse_feed(data).rounds:
        if parsed.draw_number in seen:
            continue
        seen.add(parsed.draw_number)
        out.append(record_from_parsed(parsed))
    out.sort(key=lambda r: r.draw_date)
    return out


def snapshot_records() -> list[RoundRecord]:
    """The rounds of the snapshot shipped with the code (scoring/data/ee_rounds_snapshot.json)."""
    return records_from_feed(load_snapshot())
