"""`python manage.py pathway_rules_report [--format text|markdown] [--dataset NAME]`

Prints, for each rule dataset in `pathways/data/*.json`: its versions (with effective dates and the
evidence), the sources its facts cite, and every fact that is unverified or missing (value null),
including checklist items marked unverified. Generated from the data, so the list in docs/pathways.md
is reproducible: `python manage.py pathway_rules_report --format markdown`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pathways.rules.data import DATA_DIR, all_datasets


@dataclass(frozen=True)
class Gap:
    version: str
    fact: str
    kind: str  # "unverified", "missing" or both
    source: str
    note: str


def _gaps(version: str, name: str, fact: dict[str, Any]) -> list[Gap]:
    out: list[Gap] = []
    note = str(fact.get("note", ""))
    value = fact.get("value")
    kinds = [
        k
        for k, hit in (("unverified", fact.get("status") == "unverified"), ("missing", value is None))
        if hit
    ]
    if kinds:
        out.append(Gap(version, name, ", ".join(kinds), str(fact.get("source", "")), note))
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("status") == "unverified":
                label = next(
                    (str(item[k]) for k in ("kind", "slug", "noc", "name", "label") if item.get(k)), "item"
                )
                source = str(item.get("source", fact.get("source", "")))
                out.append(Gap(version, f"{name}[{label}]", "unverified", source, str(item.get("note", ""))))
    return out


def dataset_report(name: str) -> dict[str, Any]:
    """Versions, sources and gaps of one dataset, read from its JSON file."""
    raw = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    versions = []
    sources: dict[str, None] = {}
    gaps: list[Gap] = []
    for v in raw.get("versions", []):
        versions.append(
            {
                "version": v.get("version"),
                "effective_from": v.get("effective_from"),
                "inherit": v.get("inherit", True),
                "evidence": v.get("evidence", ""),
                "facts": len(v.get("facts", {})),
            }
        )
        if v.get("effective_from") is None or v.get("effective_from_status") == "unverified":
            note = str(v.get("effective_from_note") or "start date not in the reference")
            gaps.append(Gap(str(v.get("version")), "effective_from", "unverified", "", note))
        for fname, fact in v.get("facts", {}).items():
            if fact.get("source"):
                sources.setdefault(str(fact["source"]), None)
            gaps.extend(_gaps(str(v.get("version")), fname, fact))
    return {
        "dataset": name,
        "title": raw.get("title", name),
        "versions": versions,
        "sources": list(sources),
        "gaps": gaps,
    }


def proposed_crs_report() -> dict[str, Any]:
    """The 2026 CRS proposal (scoring/data/crs_proposed_2026.json): comparison only, never in force."""
    from scoring.crs.proposed import DATA, proposal

    raw = proposal()
    gaps = [g for name, fact in raw["facts"].items() for g in _gaps(raw["id"], name, fact)]
    return {
        "dataset": DATA.stem,
        "title": f"{raw['title']} [{raw['status']}]",
        "versions": [
            {
                "version": raw["id"],
                "effective_from": None,
                "inherit": True,
                "evidence": raw["summary"],
                "facts": len(raw["facts"]),
            }
        ],
        "sources": list(dict.fromkeys(str(f["source"]) for f in raw["facts"].values())),
        "gaps": gaps,
    }


def render_text(reports: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for r in reports:
        lines.append(f"== {r['dataset']}: {r['title']}")
        lines.append("  versions:")
        for v in r["versions"]:
            start = v["effective_from"] or "(start not in the reference)"
            lines.append(
                f"    {v['version']}  from {start}  {v['facts']} facts"
                + ("" if v["inherit"] else "  (fresh)")
            )
            if v["evidence"]:
                lines.append(f"      evidence: {v['evidence']}")
        lines.append("  sources:")
        lines.extend(f"    - {s}" for s in r["sources"])
        lines.append(f"  unverified / missing ({len(r['gaps'])}):")
        for g in r["gaps"]:
            lines.append(
                f"    [{g.kind}] {g.version} {g.fact}  ({g.source})" + (f" - {g.note}" if g.note else "")
            )
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(reports: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for r in reports:
        lines.append(f"### `{r['dataset']}`: {r['title']}")
        lines.append("")
        lines.append(
            "Versions: "
            + "; ".join(
                f"`{v['version']}` (from {v['effective_from'] or 'start not in the reference'})"
                for v in r["versions"]
            )
        )
        lines.append("")
        if r["gaps"]:
            lines.append("| Version | Fact | Gap | Source | Note |")
            lines.append("|---|---|---|---|---|")
            for g in r["gaps"]:
                lines.append(f"| {g.version} | `{g.fact}` | {g.kind} | {_md(g.source)} | {_md(g.note)} |")
        else:
            lines.append("No unverified or missing facts.")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print each pathway rule dataset's versions, sources and unverified or missing facts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "markdown"], default="text")
        parser.add_argument("--dataset", action="append", help="Only this dataset (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        names = options.get("dataset") or list(all_datasets())
        unknown = sorted(set(names) - set(all_datasets()) - {"crs_proposed_2026"})
        if unknown:
            self.stderr.write(f"Unknown dataset(s): {', '.join(unknown)}")
            raise SystemExit(2)
        reports = [dataset_report(n) for n in names if n != "crs_proposed_2026"]
        if not options.get("dataset") or "crs_proposed_2026" in names:
            reports.append(proposed_crs_report())
        render = render_markdown if options["format"] == "markdown" else render_text
        self.stdout.write(render(reports))
        total = sum(len(r["gaps"]) for r in reports)
        self.stderr.write(f"{len(reports)} datasets, {total} unverified or missing facts.")
