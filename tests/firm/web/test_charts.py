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
        [charts.Bar("Ana <Silva>", 512, "/clients/1/"), charts.Bar("Bo", 430)],
        [charts.Cutoff("#350", 505), charts.Cutoff("#349", 470)],
    )
    root = parse(svg)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    rects = root.findall(f".//{NS}rect")
    assert len(rects) == 2
    lines = [e for e in root.iter(f"{NS}line") if e.get("class") == "cutoff"]
    assert len(lines) == 2
    assert "Ana &lt;Silva&gt;" in svg  # escaped
    # the bar that clears the lowest cut-off is coloured differently
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
