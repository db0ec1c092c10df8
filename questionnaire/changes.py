"""Proposed changes: the submitted draft against the stored file, and applying the accepted ones through
the existing services of `firm` (each writes its audit row and marks the facts changed, which recomputes
the score and re-runs the assessments)."""

from __future__ import annotations

from typing import Any

from firm import people_services
from firm import services as firm_services
from firm.models import Client
from firm.scoping import Actor
from questionnaire.models import ChangeOp, ProposedChange
from questionnaire.sections import SECTION_BY_KEY, SECTIONS, TABLES, clean_row
from questionnaire.stored import FACT_TABLE_MODELS, comparable, stored_rows, stored_sections


def _field_names(key: str) -> list[str]:
    fields = SECTION_BY_KEY[key].fields
    return list(fields().fields) if fields is not None else []


def diff(client: Client, data: dict[str, Any], base: dict[str, Any]) -> list[dict[str, Any]]:
    """Every difference between the draft and the stored file, with what the client saw when they opened
    the draft (`seen`): a stored value that changed since (`seen != before`) is a conflict.

    A stored row the client never saw (staff added it after the draft was opened) is not a removal.
    """
    current = stored_sections(client)
    out: list[dict[str, Any]] = []
    for section in SECTIONS:
        draft_s, cur_s, base_s = (
            data.get(section.key) or {},
            current[section.key],
            base.get(section.key) or {},
        )
        for name in _field_names(section.key):
            if name in draft_s and draft_s[name] != cur_s.get(name):
                out.append(
                    {
                        "section": section.key,
                        "table": "",
                        "field": name,
                        "target_id": None,
                        "op": ChangeOp.CHANGED,
                        "before": cur_s.get(name),
                        "after": draft_s[name],
                        "seen": base_s.get(name, cur_s.get(name)),
                    }
                )
        for table in section.tables:
            cur_rows = {r["id"]: r for r in cur_s.get(table.name, [])}
            seen_rows = {r["id"]: r for r in base_s.get(table.name, []) if r.get("id")}
            draft_rows = draft_s.get(table.name, [])
            kept = {r.get("id") for r in draft_rows}
            common = {"section": section.key, "table": table.name, "field": ""}
            for row in draft_rows:
                rid = row.get("id")
                if rid is None:
                    out.append(
                        {
                            **common,
                            "target_id": None,
                            "op": ChangeOp.ADDED,
                            "before": None,
                            "after": row,
                            "seen": None,
                        }
                    )
                elif comparable(row) != comparable(cur_rows.get(rid)):
                    out.append(
                        {
                            **common,
                            "target_id": rid,
                            "op": ChangeOp.CHANGED,
                            "before": cur_rows.get(rid),
                            "after": row,
                            "seen": seen_rows.get(rid),
                        }
                    )
            for rid, row in cur_rows.items():
                if rid not in kept and rid in seen_rows:
                    out.append(
                        {
                            **common,
                            "target_id": rid,
                            "op": ChangeOp.REMOVED,
                            "before": row,
                            "after": None,
                            "seen": seen_rows[rid],
                        }
                    )
    return out


def is_conflict(change: ProposedChange | dict[str, Any]) -> bool:
    get = change.get if isinstance(change, dict) else lambda k: getattr(change, k)
    if get("op") == ChangeOp.ADDED:
        return False
    if get("table"):
        return comparable(get("seen")) != comparable(get("before"))
    return get("seen") != get("before")


def conflicts(client: Client, base: dict[str, Any]) -> list[dict[str, Any]]:
    """What staff changed in the file since the draft was opened (stored now != what the client saw)."""
    return diff(client, base, base)


def current_conflict(change: ProposedChange) -> bool:
    """Re-checked at review time: the stored value now against what the client saw."""
    if change.op == ChangeOp.ADDED:
        return False
    if change.table:
        rows = {r["id"]: r for r in stored_sections(change.client)[change.section].get(change.table, [])}
        return comparable(rows.get(change.target_id)) != comparable(change.seen)
    return stored_sections(change.client)[change.section].get(change.field) != change.seen


# --- Applying one accepted change ------------------------------------------------------------------------


def _typed_field(change: ProposedChange) -> Any:
    fields_cls = SECTION_BY_KEY[change.section].fields
    assert fields_cls is not None
    values = {**stored_sections(change.client)[change.section], change.field: change.after}
    checker = fields_cls(data={k: v for k, v in values.items() if k in fields_cls().fields})
    checker.is_valid(raise_exception=True)
    return checker.validated_data[change.field]


def _target(change: ProposedChange) -> Any:
    rows = {r.pk: r for r in stored_rows(change.client, change.table)}
    return rows.get(change.target_id)


def apply_change(actor: Actor, change: ProposedChange) -> int | None:
    """Apply one accepted change with the services of `firm`; returns the stored row's id."""
    client = change.client
    if not change.table:
        firm_services.client_update(actor=actor, client=client, data={change.field: _typed_field(change)})
        return client.pk
    _, table = TABLES[change.table]
    typed = None
    if change.after is not None:
        typed = {k: v for k, v in clean_row(table, change.after, change.table).items() if k != "id"}
    target = _target(change) if change.target_id else None
    if change.table in FACT_TABLE_MODELS:
        return _apply_fact(actor, client, table.fact_kind, target, typed)
    if change.table == "children":
        return _apply_child(actor, client, target, typed)
    if change.table == "residences":
        if target is not None:
            people_services.residence_delete(actor=actor, period=target)
        if typed is None:
            return None
        typed.pop("address", None)
        return people_services.residence_create(actor=actor, client=client, **typed).pk
    return _apply_passport(actor, client, target, typed)


def _apply_fact(actor: Actor, client: Client, kind: str, target: Any, typed: dict | None) -> int | None:
    if typed is None:
        if target is not None:
            firm_services.client_fact_delete(actor=actor, fact=target)
        return None
    if target is None:
        return firm_services.client_fact_create(actor=actor, client=client, kind=kind, data=typed).pk
    return firm_services.client_fact_update(actor=actor, fact=target, data=typed).pk


def _apply_child(actor: Actor, client: Client, target: Any, typed: dict | None) -> int | None:
    if typed is None:
        if target is not None:
            people_services.family_member_delete(actor=actor, member=target)
        return None
    if target is None:
        return people_services.family_member_create(
            actor=actor, client=client, relationship="child", **typed
        ).pk
    return people_services.family_member_update(actor=actor, member=target, data=typed).pk


def _apply_passport(actor: Actor, client: Client, target: Any, typed: dict | None) -> int | None:
    if typed is None:
        if target is not None:
            people_services.status_document_delete(actor=actor, document=target)
        return None
    if target is None:
        return people_services.status_document_create(actor=actor, client=client, kind="passport", **typed).pk
    return people_services.status_document_update(actor=actor, document=target, data=typed).pk
