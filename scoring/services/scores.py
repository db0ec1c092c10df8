"""Placeholder replaced by the scoring integration (CRSScore storage)."""

from __future__ import annotations


def client_recompute(*, client_id: int) -> None:
    return None


def scores_recompute_due() -> None:
    return None
