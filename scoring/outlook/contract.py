"""The ``manage.py ita_outlook`` contract: one JSON line in, one JSON line out (pure: no Django).

Input line: ``{"id": "...", "crs": 481, "eligible_for": ["cec", "french"],
"profile_submitted_at": "2024-01-10T12:00:00Z"}`` (the last field optional).
Output line: ``{"id": "...", "p_90": .., "p_180": .., "p_365": .., "pool_percentile": 0-100 or null}``,
or ``{"id": "...", "error": {"field": ..., "message": ...}}`` for a bad line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from scoring.outlook.kinds import ELIGIBLE_KEYS, kinds_open_to
from scoring.outlook.model import HORIZONS, OutlookModel


class LineError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise LineError("profile_submitted_at", "must be an ISO 8601 date-time string or null")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise LineError("profile_submitted_at", f"not an ISO 8601 date-time: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_line(obj: Any) -> tuple[int, frozenset[str], datetime | None]:
    if not isinstance(obj, dict):
        raise LineError("line", "each line must be a JSON object")
    crs = obj.get("crs")
    if (
        isinstance(crs, bool)
        or not isinstance(crs, int | float)
        or (isinstance(crs, float) and not crs.is_integer())
    ):
        raise LineError("crs", "must be a whole number")
    if not 0 <= int(crs) <= 1200:
        raise LineError("crs", "must be between 0 and 1200")
    eligible = obj.get("eligible_for")
    if not isinstance(eligible, list) or not all(isinstance(k, str) for k in eligible):
        raise LineError("eligible_for", "must be a list of round-kind keys")
    unknown = sorted({k for k in eligible if k not in ELIGIBLE_KEYS})
    if unknown:
        raise LineError("eligible_for", f"unknown round kind(s): {', '.join(unknown)}")
    return int(crs), kinds_open_to(eligible), _parse_time(obj.get("profile_submitted_at"))


def answer_line(model: OutlookModel, line: str) -> dict[str, Any]:
    """The output object for one input line (never raises for bad input)."""
    ident: Any = None
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return {"id": None, "error": {"field": "line", "message": f"not JSON: {exc.msg}"}}
    if isinstance(obj, dict):
        ident = obj.get("id")
        if ident is not None and not isinstance(ident, str | int):
            ident = str(ident)
    try:
        score, kinds, submitted = parse_line(obj)
    except LineError as exc:
        return {"id": ident, "error": {"field": exc.field, "message": exc.message}}
    probs = model.probabilities(score, kinds, tie=model.tie_counts(submitted))
    rank = model.pool_rank(score)
    out: dict[str, Any] = {"id": ident}
    for days, p in zip(HORIZONS, probs, strict=True):
        out[f"p_{days}"] = round(p, 4)
    out["pool_percentile"] = rank.percentile if rank is not None else None
    return out
