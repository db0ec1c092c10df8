"""Kinds of rounds the outlook models, and which kinds a client's ``eligible_for`` keys open.

Pure Python: no Django imports.

The keys are those of ``Draw.category`` (scoring.draws.categories.ALL_KEYS). ``no_program`` (the
"No Program Specified" rounds up to 2023-10) and ``general`` (from 2023-12) are the same kind of round
for a client: open to anyone eligible for at least one of FSW, CEC or FSTP (draw_feed.md drawText2 of
these rounds). The outlook merges them into one kind, ``general``.
"""

from __future__ import annotations

from collections.abc import Iterable

from scoring.draws.categories import ALL_KEYS, ANY_FEDERAL_PROGRAM, CATEGORY_KEYS, UNKNOWN

GENERAL = "general"

#: Keys a client may list in ``eligible_for`` (every Draw.category key except ``unknown``).
ELIGIBLE_KEYS: frozenset[str] = frozenset(ALL_KEYS - {UNKNOWN})

#: Kinds of rounds the model forecasts (``no_program`` folded into ``general``).
MODEL_KINDS: tuple[str, ...] = (GENERAL, "cec", "fsw", "fst", "pnp", *sorted(CATEGORY_KEYS))

#: Families: a kind with few rounds borrows cut-off movement from the other kinds of its family.
FAMILY: dict[str, str] = {
    GENERAL: "program",
    "cec": "program",
    "fsw": "program",
    "fst": "program",
    "pnp": "pnp",
    **dict.fromkeys(CATEGORY_KEYS, "category"),
}


def model_kind(category: str) -> str | None:
    """The modelled kind of a round of ``category`` (None: not modelled, e.g. ``unknown``)."""
    if category in ("no_program", GENERAL):
        return GENERAL
    return category if category in FAMILY else None


def kinds_open_to(eligible_for: Iterable[str]) -> frozenset[str]:
    """The kinds of rounds a client eligible for these keys can be invited in.

    A general round is open to anyone eligible for at least one of cec, fsw, fst (or who says
    ``general`` / ``no_program`` directly); every other kind needs its own key. Adding a key never
    removes a kind (the outlook is monotone in the eligible set through this).
    """
    keys = set(eligible_for)
    kinds = {k for k in keys if k in FAMILY and k != GENERAL}
    if keys & set(ANY_FEDERAL_PROGRAM) or keys & {GENERAL, "no_program"}:
        kinds.add(GENERAL)
    return frozenset(kinds)
