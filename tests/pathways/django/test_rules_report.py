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
