"""Helpers for the pure pathway-rule tests (exposed as fixtures: importlib import mode)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from pathways.rules.types import Assessment, Criterion


def _pick(results: Sequence[Assessment], stream: str | None = None) -> Assessment:
    if stream is None:
        assert len(results) == 1, [a.stream for a in results]
        return results[0]
    matches = [a for a in results if a.stream == stream]
    assert matches, f"no stream {stream!r} in {[a.stream for a in results]}"
    return matches[0]


def _crit(results: Sequence[Assessment], key: str, stream: str | None = None) -> Criterion:
    return _pick(results, stream).criterion(key)


@pytest.fixture
def pick() -> Callable[..., Assessment]:
    return _pick


@pytest.fixture
def crit() -> Callable[..., Criterion]:
    return _crit
