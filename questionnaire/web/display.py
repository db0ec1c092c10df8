"""How the questionnaire's values read on a page: labels for fields, choices, changes and the score."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from firm.web.labels import breakdown_sections
from questionnaire.models import ChangeOp, ChangeStatus
from questionnaire.sections import SECTION_BY_KEY, TABLES, Table

SECTION_TITLES = {
    "core": gettext_lazy("Core / human capital"),
    "spouse": gettext_lazy("Spouse or partner"),
    "transferability": gettext_lazy("Skill transferability"),
    "additional": gettext_lazy("Additional points"),
}
TABLE_TITLES = {
    "passport": gettext_lazy("Passport"),
    "children": gettext_lazy("Children"),
    "residences": gettext_lazy("Countries where you lived"),
    "language_tests": gettext_lazy("Language tests"),
    "educations": gettext_lazy("Diplomas and degrees"),
    "work": gettext_lazy("Jobs"),
    "job_offers": gettext_lazy("Job offers"),
    "nominations": gettext_lazy("Nominations"),
}
OP_LABELS = dict(ChangeOp.choices)
STATUS_LABELS = dict(ChangeStatus.choices)


def score_rows(score: dict[str, Any]) -> list[dict[str, Any]]:
    if score.get("total") is None:
        return []
    stand_in = SimpleNamespace(**score["sections"], rule_set=score["rule_set"], breakdown=score["breakdown"])
    return [
        {
            "label": str(SECTION_TITLES.get(s.key, s.key)),
            "total": s.total,
            "items": [[str(a), b] for a, b in s.items],
        }
        for s in breakdown_sections(stand_in)
    ]


def _fields(serializer_cls: Any) -> dict[str, Any]:
    return dict(serializer_cls().fields) if serializer_cls is not None else {}


def value_text(f: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = getattr(f, "choices", None) or getattr(getattr(f, "child", None), "choices", None)
    if choices:
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, v)) for v in value)
        return str(choices.get(value, value))
    return str(value)


def row_text(table: Table, row: dict[str, Any] | None, limit: int = 5) -> str:
    if not row:
        return "—"
    parts = []
    for name, f in _fields(table.row).items():
        value = row.get(name)
        if value in (None, "", []) or isinstance(value, bool):
            continue
        parts.append(value_text(f, value))
        if len(parts) >= limit:
            break
    return " · ".join(parts) or "—"


def row_details(table: Table, row: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not row:
        return []
    return [
        (str(f.label or name), value_text(f, row.get(name)))
        for name, f in _fields(table.row).items()
        if name in row
    ]


def row_summaries(table: Table, rows: list[dict[str, Any]]) -> list[tuple[int, str, bool]]:
    return [(i, row_text(table, row), bool(row.get("id"))) for i, row in enumerate(rows)]


def change_title(change: dict[str, Any]) -> str:
    section = SECTION_BY_KEY[change["section"]]
    if change["table"]:
        return f"{section.title} › {TABLE_TITLES.get(change['table'], change['table'])}"
    f = _fields(section.fields).get(change["field"])
    return f"{section.title} › {f.label if f is not None else change['field']}"


def change_values(change: dict[str, Any], key: str) -> str:
    value = change[key]
    if change["table"]:
        return row_text(TABLES[change["table"]][1], value, limit=12)
    f = _fields(SECTION_BY_KEY[change["section"]].fields).get(change["field"])
    return value_text(f, value)


def change_rows(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **c,
            "title": change_title(c),
            "op_label": OP_LABELS.get(c["op"], c["op"]),
            "status_label": STATUS_LABELS.get(c["status"], c["status"]),
            "stored_text": change_values({**c, "x": c["stored"]}, "x"),
            "proposed_text": change_values({**c, "x": c["proposed"]}, "x"),
            "seen_text": change_values({**c, "x": c["seen_by_client"]}, "x"),
        }
        for c in changes
    ]


def outcome_rows(outcome: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return change_rows(outcome)


def conflict_rows(conflicts: list[dict[str, Any]]) -> list[str]:
    out = []
    for c in conflicts:
        out.append(change_title({"section": c["section"], "table": c["table"], "field": c["field"]}))
    return sorted(set(out))
