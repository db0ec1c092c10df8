"""`manage.py pathway_rules_report`: versions, sources and unverified / missing facts, from the data."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from pathways.management.commands.pathway_rules_report import dataset_report
from pathways.rules.data import DATA_DIR, all_datasets


def _unverified_in_files() -> set[tuple[str, str]]:
    out = set()
    for name in all_datasets():
        raw = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for v in raw["versions"]:
            for fname, fact in v["facts"].items():
                if fact["status"] == "unverified":
                    out.add((name, fname))
    return out


def test_report_lists_every_unverified_fact() -> None:
    reported = {
        (name, g.fact)
        for name in all_datasets()
        for g in dataset_report(name)["gaps"]
        if "unverified" in g.kind
    }
    assert _unverified_in_files() <= reported
    assert _unverified_in_files(), "the data marks some facts unverified"


def test_command_text_and_markdown() -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("pathway_rules_report", stdout=out, stderr=err)
    text = out.getvalue()
    for name in all_datasets():
        assert f"== {name}:" in text
    assert "versions:" in text and "sources:" in text and "[unverified]" in text
    assert "unverified or missing facts" in err.getvalue()
    md = io.StringIO()
    call_command(
        "pathway_rules_report", "--format", "markdown", "--dataset", "gts", stdout=md, stderr=io.StringIO()
    )
    assert md.getvalue().startswith("### `gts`")
    with pytest.raises(SystemExit):
        call_command("pathway_rules_report", "--dataset", "nope", stdout=io.StringIO(), stderr=io.StringIO())


def test_report_lists_the_2026_proposal_and_undated_tables() -> None:
    """Issue 12: what is still unverified includes the 2026 CRS proposal and the 2019 funds table's start."""
    out, err = io.StringIO(), io.StringIO()
    call_command("pathway_rules_report", stdout=out, stderr=err)
    text = out.getvalue()
    assert "== crs_proposed_2026:" in text and "[proposed]" in text
    assert "[unverified, missing] crs-proposed-2026 in_force_date" in text
    assert "[unverified] crs-proposed-2026 hwo_points" in text
    assert "[unverified] pof-2019 effective_from" in text
    pof = dataset_report("proof_of_funds")
    assert [v["version"] for v in pof["versions"]][:2] == ["pof-2019", "pof-2020"]
