"""The inline SVG chart helper."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from firm.web import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def test_scores_vs_cutoffs_draws_one_bar_per_client_and_one_line_per_cutoff():
    svg = charts.scores_vs_cutoffs(
        [charts.Bar("Ana <Silva>", 512, "/clients/1/", clears=("#350",)), charts.Bar("Bo", 430)],
        [charts.Cutoff("#350", 505), charts.Cutoff("#349", 470)],
    )
    root = parse(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    rects = root.findall(f".//{NS}rect")
    assert len(rects) == 2
    lines = [e for e in root.iter(f"{NS}line") if e.get("class") == "cutoff"]
    assert len(lines) == 2
    assert "Ana &lt;Silva&gt;" in svg  # escaped
    # the bar of a client who clears a round they are eligible for is coloured differently
    assert rects[0].get("fill") == charts.PALETTE["bar_clear"]
    assert rects[1].get("fill") == charts.PALETTE["bar"]
    # a higher score gives a longer bar
    assert float(rects[0].get("width")) > float(rects[1].get("width"))
    assert root.find(f".//{NS}a").get("href") == "/clients/1/"


def test_cutoff_line_position_matches_scale():
    svg = charts.scores_vs_cutoffs([charts.Bar("A", 500)], [charts.Cutoff("c", 500)])
    root = parse(svg)
    rect = root.find(f".//{NS}rect")
    line = next(e for e in root.iter(f"{NS}line") if e.get("class") == "cutoff")
    assert abs(float(rect.get("x")) + float(rect.get("width")) - float(line.get("x1"))) < 0.2


def test_empty_charts_say_so():
    assert "No scores yet" in charts.scores_vs_cutoffs([], [charts.Cutoff("c", 500)])
    assert "Nothing" in charts.score_history([], [], empty_message="Nothing")
    parse(charts.scores_vs_cutoffs([], []))


def test_score_history_step_line_and_draw_markers():
    points = [
        charts.Point(date(2025, 1, 1), 450),
        charts.Point(date(2025, 6, 1), 480),
        charts.Point(date(2025, 3, 1), 470),
    ]
    cutoffs = [charts.Cutoff("#340", 490, date(2025, 4, 2)), charts.Cutoff("undated", 400)]
    svg = charts.score_history(points, cutoffs)
    root = parse(svg)
    assert len(root.findall(f".//{NS}circle")) == 3
    draws = [e for e in root.iter(f"{NS}path") if e.get("class") == "draw"]
    assert len(draws) == 1  # undated cut-offs are not placed on a time axis
    assert "#340 (2025-04-02): cut-off 490" in svg
    line = next(e for e in root.iter(f"{NS}path") if e.get("class") != "draw")
    assert line.get("d").startswith("M")
    assert "2025-01-01" in svg and "2025-06-01" in svg


def test_score_history_single_point():
    parse(charts.score_history([charts.Point(date(2025, 1, 1), 450)], []))


def test_bar_colour_follows_eligible_rounds_not_the_lowest_cutoff():
    """A score above a Trades round's cut-off is not green for a client who is not eligible for it."""
    svg = charts.scores_vs_cutoffs(
        [charts.Bar("Not in trades", 480), charts.Bar("Eligible", 470, clears=("#299",))],
        [charts.Cutoff("#300", 436), charts.Cutoff("#299", 460)],
    )
    rects = parse(svg).findall(f".//{NS}rect")
    assert rects[0].get("fill") == charts.PALETTE["bar"]  # 480 > 436, but not eligible for #300
    assert rects[1].get("fill") == charts.PALETTE["bar_clear"]
    assert "#299" in rects[1].find(f"{NS}title").text


def _label_boxes(root):
    boxes = []
    for text in root.iter(f"{NS}text"):
        if text.get("class") == "cutoff-label":
            x, y, width = float(text.get("x")), float(text.get("y")), len(text.text) * 6.2
            boxes.append((x - width / 2, x + width / 2, y))
    return boxes


def test_overlapping_cutoff_labels_go_on_separate_rows():
    cutoffs = [charts.Cutoff("#301", 491), charts.Cutoff("#300", 494), charts.Cutoff("#299", 496)]
    root = parse(charts.scores_vs_cutoffs([charts.Bar("A", 500)], cutoffs))
    boxes = _label_boxes(root)
    assert len(boxes) == 3
    for i, (l1, r1, y1) in enumerate(boxes):
        for l2, r2, y2 in boxes[i + 1 :]:
            assert y1 != y2 or r1 < l2 or r2 < l1, "two cut-off labels overlap"
    # far-apart cut-offs stay on one row
    far = _label_boxes(
        parse(
            charts.scores_vs_cutoffs(
                [charts.Bar("A", 500)], [charts.Cutoff("a", 100), charts.Cutoff("b", 500)]
            )
        )
    )
    assert len({y for _l, _r, y in far}) == 1


def test_distribution_has_a_bounded_number_of_columns_for_any_firm_size():
    import random

    rng = random.Random(4)
    scores = [rng.randint(300, 620) for _ in range(10_000)]
    bands: dict[int, int] = {}
    for s in scores:
        bands[s // 10 * 10] = bands.get(s // 10 * 10, 0) + 1
    svg = charts.score_distribution(sorted(bands.items()), [charts.Cutoff("#300", 436)], band=10)
    root = parse(svg)
    columns = [r for r in root.iter(f"{NS}rect") if r.get("class") == "band"]
    assert len(columns) == len(bands) <= 33  # one per 10-point band, not one per client
    assert sum(int(c.find(f"{NS}title").text.rsplit(": ", 1)[1]) for c in columns) == 10_000


def test_score_history_with_one_score_shows_the_draws_of_the_period():
    one = [charts.Point(date(2025, 6, 1), 480)]
    draws = [charts.Cutoff("#340", 490, date(2025, 3, 2)), charts.Cutoff("#341", 470, date(2025, 5, 2))]
    root = parse(charts.score_history(one, draws, period=(date(2024, 6, 1), date(2025, 6, 1))))
    assert len([e for e in root.iter(f"{NS}path") if e.get("class") == "draw"]) == 2
    assert len(root.findall(f".//{NS}circle")) == 1
