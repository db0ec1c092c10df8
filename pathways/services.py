"""Placeholder replaced by the pathways integration (PathwayAssessment storage)."""

from __future__ import annotations


def case_assess(*, case_id: int) -> None:
    return None
