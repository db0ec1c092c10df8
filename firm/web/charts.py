"""Small server-rendered SVG charts (no JavaScript, no network): inline in the dashboard pages.

Two charts:

* `scores_vs_cutoffs`: one horizontal bar per client (current CRS) with a dashed vertical line per
  recent Express Entry draw at its cut-off, so a lawyer sees at a glance who clears which draw.
* `score_history`: one client's CRS over time (a step line) with the draws' cut-offs marked as
  points on the same axes.

Every text is escaped; the output is a complete `<svg>` element with a `<title>` and `role="img"`
so screen readers announce it, and it scales to its container (`viewBox`, width 100%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe

PALETTE = {
    "bar": "#2f6f8f",
    "bar_clear": "#2e7d4f",
    "axis": "#5b6770",
    "grid": "#e3e7ea",
    "cutoff": "#b3261e",
    "line": "#2f6f8f",
    "text": "#1f2a30",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str = ""
    # The recent rounds this client clears among those they are eligible for (their labels); a bar is
    # green only then: clearing a Trades round's cut-off means nothing to a client who is not in trades.
    clears: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cutoff:
    label: str
    value: int
    on: date | None = None


@dataclass(frozen=True)
class Point:
    on: date
    value: int


def _nice_max(value: int, step: int = 50) -> int:
    """Round up to the next multiple of `step`, at least `step`."""
    if value <= 0:
        return step
    return ((value + step - 1) // step) * step


def _safe(svg: str) -> SafeString:
    # Everything interpolated into the markup went through `escape` or is a number we formatted.
    return mark_safe(svg)  # noqa: S308


def empty_chart(title: str, message: str, *, width: int = 640, height: int = 80) -> SafeString:
    t = escape(title)
    return _safe(
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" '
        f'fill="{PALETTE["axis"]}" font-size="14">{escape(message)}</text></svg>'
    )


def label_rows(
    xs: Sequence[float], texts: Sequence[str], *, char_w: float = 6.2, pad: float = 6
) -> list[int]:
    """A row (0, 1, 2 ...) for each centred label so that labels on one row never overlap."""
    rows = [0] * len(xs)
    ends: list[float] = []  # right edge of the last label placed on each row
    for i in sorted(range(len(xs)), key=lambda k: xs[k]):
        half = len(texts[i]) * char_w / 2
        left = xs[i] - half
        for r, end in enumerate(ends):
            if left >= end + pad:
                rows[i], ends[r] = r, xs[i] + half
                break
        else:
            rows[i] = len(ends)
            ends.append(xs[i] + half)
    return rows


def scores_vs_cutoffs(
    bars: Sequence[Bar],
    cutoffs: Sequence[Cutoff],
    *,
    title: str = "CRS scores against recent draw cut-offs",
    width: int = 640,
    bar_height: int = 22,
    empty_message: str = "No scores yet",
) -> SafeString:
    """Horizontal bars (clients' scores) and vertical dashed lines (draw cut-offs)."""
    if not bars:
        return empty_chart(title, empty_message, width=width)
    label_w, right_pad, top, gap = 170, 48, 34, 8
    plot_w = width - label_w - right_pad
    vmax = _nice_max(max([b.value for b in bars] + [c.value for c in cutoffs] + [1]))

    def x(v: float) -> float:
        return label_w + plot_w * (v / vmax)

    rows = label_rows([x(c.value) for c in cutoffs], [f"{c.label} {c.value}" for c in cutoffs])
    top += 12 * max(rows, default=0)
    height = top + len(bars) * (bar_height + gap) + 30

    t = escape(title)
    parts = [
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{t}</title>",
    ]
    # grid and axis ticks
    step = next(s for s in (50, 100, 200, 250, 500) if vmax / s <= 6)
    axis_y = height - 22
    for tick in range(0, vmax + 1, step):
        xx = x(tick)
        parts.append(
            f'<line x1="{xx:.1f}" y1="{top - 6}" x2="{xx:.1f}" y2="{axis_y}" stroke="{PALETTE["grid"]}"/>'
            f'<text x="{xx:.1f}" y="{axis_y + 14}" text-anchor="middle" fill="{PALETTE["axis"]}">{tick}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        colour = PALETTE["bar_clear"] if bar.clears else PALETTE["bar"]
        cleared = f" ({escape(', '.join(bar.clears))})" if bar.clears else ""
        label = escape(bar.label if len(bar.label) <= 24 else bar.label[:23] + "…")
        text = (
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'fill="{PALETTE["text"]}">{label}</text>'
        )
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        parts.append(text)
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(x(bar.value) - label_w, 1):.1f}" height="{bar_height}" '
            f'rx="3" fill="{colour}"><title>{label}: {bar.value}{cleared}</title></rect>'
            f'<text x="{x(bar.value) + 4:.1f}" y="{y + bar_height * 0.7:.1f}" fill="{PALETTE["text"]}">'
            f"{bar.value}</text>"
        )
    for cut, row in zip(cutoffs, rows, strict=True):
        xx = x(cut.value)
        label = escape(cut.label)
        parts.append(
            f'<line class="cutoff" x1="{xx:.1f}" y1="{12 * row + 16}" x2="{xx:.1f}" y2="{axis_y}" '
            f'stroke="{PALETTE["cutoff"]}" stroke-width="1.5" stroke-dasharray="5 4">'
            f"<title>{label}: {cut.value}</title></line>"
            f'<text class="cutoff-label" x="{xx:.1f}" y="{12 + 12 * row}" text-anchor="middle" '
            f'fill="{PALETTE["cutoff"]}" font-size="11">{label} {cut.value}</text>'
        )
    parts.append("</svg>")
    return _safe("".join(parts))


def score_history(
    points: Sequence[Point],
    cutoffs: Sequence[Cutoff],
    *,
    title: str = "CRS score history with draw cut-offs",
    width: int = 640,
    height: int = 240,
    empty_message: str = "No score history yet",
    period: tuple[date, date] | None = None,
) -> SafeString:
    """A step line of the client's score over time, with draw cut-offs (dated) as red diamonds.

    `period` (start, end) sets the time axis: the draws of the period show even with one score."""
    dated_cutoffs = [c for c in cutoffs if c.on is not None]
    if not points:
        return empty_chart(title, empty_message, width=width)
    pts = sorted(points, key=lambda p: p.on)
    dates = [p.on for p in pts] + [c.on for c in dated_cutoffs if c.on is not None] + list(period or ())
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)
    values = [p.value for p in pts] + [c.value for c in dated_cutoffs]
    vmin = max(0, (min(values) - 40) // 50 * 50)
    vmax = _nice_max(max(values) + 10)
    left, right, top, bottom = 48, 16, 16, 34
    pw, ph = width - left - right, height - top - bottom

    def x(d: date) -> float:
        return left + pw * ((d - start).days / span)

    def y(v: float) -> float:
        return top + ph * (1 - (v - vmin) / max(vmax - vmin, 1))

    t = escape(title)
    parts = [
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{t}</title>",
    ]
    step = 50 if vmax - vmin <= 300 else 100
    for tick in range(vmin, vmax + 1, step):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="{PALETTE["grid"]}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{PALETTE["axis"]}">{tick}</text>'
        )
    for d, anchor in ((start, "start"), (end, "end")) if start != end else ((start, "start"),):
        parts.append(
            f'<text x="{x(d):.1f}" y="{height - 12}" text-anchor="{anchor}" '
            f'fill="{PALETTE["axis"]}">{d.isoformat()}</text>'
        )
    # step line: the score holds until the next computation
    path = [f"M{x(pts[0].on):.1f},{y(pts[0].value):.1f}"]
    for prev, cur in pairwise(pts):
        path.append(f"L{x(cur.on):.1f},{y(prev.value):.1f}L{x(cur.on):.1f},{y(cur.value):.1f}")
    path.append(f"L{x(end):.1f},{y(pts[-1].value):.1f}")
    parts.append(f'<path d="{"".join(path)}" fill="none" stroke="{PALETTE["line"]}" stroke-width="2.5"/>')
    for p in pts:
        parts.append(
            f'<circle cx="{x(p.on):.1f}" cy="{y(p.value):.1f}" r="3.5" fill="{PALETTE["line"]}">'
            f"<title>{p.on.isoformat()}: {p.value}</title></circle>"
        )
    for c in dated_cutoffs:
        assert c.on is not None
        cx, cy = x(c.on), y(c.value)
        # The label sits above the diamond, to its left; near the left edge, to its right (clear of the
        # axis values).
        lx, anchor = (cx + 7, "start") if cx - left < 40 else (min(cx, width - right - 2), "end")
        parts.append(
            f'<path class="draw" d="M{cx:.1f},{cy - 5:.1f}L{cx + 5:.1f},{cy:.1f}L{cx:.1f},{cy + 5:.1f}'
            f'L{cx - 5:.1f},{cy:.1f}Z" fill="{PALETTE["cutoff"]}">'
            f"<title>{escape(c.label)} ({c.on.isoformat()}): cut-off {c.value}</title></path>"
            f'<text x="{lx:.1f}" y="{cy - 8:.1f}" text-anchor="{anchor}" '
            f'fill="{PALETTE["cutoff"]}" font-size="10">{escape(c.label)}</text>'
        )
    parts.append("</svg>")
    return _safe("".join(parts))


def score_distribution(
    bands: Sequence[tuple[int, int]],
    cutoffs: Sequence[Cutoff],
    *,
    band: int = 10,
    title: str = "How the firm's clients' scores are spread",
    width: int = 640,
    height: int = 200,
    empty_message: str = "No scores yet",
) -> SafeString:
    """A histogram of the firm's clients per `band`-point score band (a few dozen columns for any firm
    size), with the recent cut-offs as dashed lines: the shape of a 10,000-client firm at a glance."""
    bands = [(int(start), int(count)) for start, count in bands if count > 0]
    if not bands:
        return empty_chart(title, empty_message, width=width)
    lo = min([b[0] for b in bands] + [c.value for c in cutoffs]) // 50 * 50
    hi = _nice_max(max([b[0] + band for b in bands] + [c.value + 1 for c in cutoffs]))
    peak = max(count for _start, count in bands)
    left, right, bottom = 44, 16, 24
    rows = label_rows(
        [left + (width - left - right) * (c.value - lo) / max(hi - lo, 1) for c in cutoffs],
        [f"{c.label} {c.value}" for c in cutoffs],
    )
    top = 16 + 12 * max(rows, default=0)
    pw, ph = width - left - right, height - top - bottom

    def x(v: float) -> float:
        return left + pw * (v - lo) / max(hi - lo, 1)

    def y(n: float) -> float:
        return top + ph * (1 - n / peak)

    t = escape(title)
    parts = [
        f'<svg class="chart" role="img" aria-label="{t}" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{t}</title>",
    ]
    step = next(s for s in (50, 100, 200, 250, 500) if (hi - lo) / s <= 8)
    for tick in range(lo, hi + 1, step):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle" fill="{PALETTE["axis"]}">{tick}</text>'
        )
    parts.append(
        f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" fill="{PALETTE["axis"]}">{peak}</text>'
        f'<text x="{left - 6}" y="{top + ph}" text-anchor="end" fill="{PALETTE["axis"]}">0</text>'
    )
    col_w = max(pw * band / max(hi - lo, 1) - 1, 1)
    for start, count in bands:
        parts.append(
            f'<rect class="band" x="{x(start):.1f}" y="{y(count):.1f}" width="{col_w:.1f}" '
            f'height="{top + ph - y(count):.1f}" fill="{PALETTE["bar"]}">'
            f"<title>{start}–{start + band - 1}: {count}</title></rect>"
        )
    for cut, row in zip(cutoffs, rows, strict=True):
        xx = x(cut.value)
        label = escape(cut.label)
        parts.append(
            f'<line class="cutoff" x1="{xx:.1f}" y1="{12 * row + 16}" x2="{xx:.1f}" y2="{top + ph}" '
            f'stroke="{PALETTE["cutoff"]}" stroke-width="1.5" stroke-dasharray="5 4">'
            f"<title>{label}: {cut.value}</title></line>"
            f'<text class="cutoff-label" x="{xx:.1f}" y="{12 + 12 * row}" text-anchor="middle" '
            f'fill="{PALETTE["cutoff"]}" font-size="11">{label} {cut.value}</text>'
        )
    parts.append("</svg>")
    return _safe("".join(parts))
