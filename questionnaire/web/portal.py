"""The questionnaire in the client portal: overview, one page per section, one per row, live score."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firm.errors import ApplicationError
from firm.web.common import portal_page
from firm.web.portal import portal_client
from questionnaire import noc, selectors, services
from questionnaire.preview import preview_score
from questionnaire.sections import SECTION_BY_KEY, SECTIONS, TABLES, SectionError, Table
from questionnaire.web import display
from questionnaire.web.forms import inputs, read_post


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _section(key: str) -> Any:
    section = SECTION_BY_KEY.get(key)
    if section is None:
        raise Http404
    return section


def _table(section: Any, name: str) -> Table:
    for table in section.tables:
        if table.name == name:
            return table
    raise Http404


def _edited(
    q: Any,
    key: str,
    request: HttpRequest,
    *,
    table: Table | None = None,
    index: int | None = None,
    remove: bool = False,
) -> dict[str, Any]:
    """The section's JSON with this POST applied: the client fields, or one row set, added or removed."""
    section = _section(key)
    current = dict(q.data.get(key) or {})
    payload: dict[str, Any] = {k: list(v) if isinstance(v, list) else v for k, v in current.items()}
    if table is None:
        assert section.fields is not None
        payload.update(read_post(section.fields, request.POST))
        return payload
    rows = list(payload.get(table.name) or [])
    if remove:
        if index is not None and 0 <= index < len(rows):
            rows.pop(index)
    else:
        row = read_post(table.row, request.POST)
        if index is not None and 0 <= index < len(rows):
            if rows[index].get("id"):
                row["id"] = rows[index]["id"]
            rows[index] = row
        else:
            rows.append(row)
    payload[table.name] = rows
    return payload


def _score_context(client: Any, view: dict[str, Any]) -> dict[str, Any]:
    return {"score": view["score"], "score_rows": display.score_rows(view["score"])}


@portal_page
def questionnaire_home(request: HttpRequest) -> HttpResponse:
    _, client = portal_client(request)
    view = selectors.client_view(client)
    sections = [(s, s.key in view["sections_saved"]) for s in SECTIONS]
    return render(
        request,
        "questionnaire/portal_home.html",
        {
            "client": client,
            "q": view,
            "sections": sections,
            **_score_context(client, view),
            "outcome": display.outcome_rows(view["outcome"]),
            "conflicts": display.conflict_rows(view["conflicts"]),
            "questions": view["questions"],
            "percent": int(100 * view["progress"]["saved"] / view["progress"]["total"]),
        },
    )


@portal_page
def questionnaire_section(request: HttpRequest, key: str) -> HttpResponse:
    actor, client = portal_client(request)
    section = _section(key)
    q = services.questionnaire_open(client=client)
    errors: dict[str, str] = {}
    values = q.data.get(key) or {}
    if request.method == "POST" and section.fields is not None:
        payload = _edited(q, key, request)
        try:
            services.questionnaire_save(
                actor=actor, client=client, sections={key: payload}, version=_version(request)
            )
            messages.success(request, _("Saved."))
            return redirect("portal-questionnaire")
        except SectionError as exc:
            errors, values = exc.errors, payload
        except ApplicationError as exc:
            messages.error(
                request,
                _("This questionnaire changed since you opened it; check it and save again.")
                if exc.status_code == 409
                else str(exc.message),
            )
    view = selectors.client_view(client)
    return render(
        request,
        "questionnaire/portal_section.html",
        {
            "client": client,
            "section": section,
            "q": view,
            **_score_context(client, view),
            "inputs": inputs(section.fields, values, errors) if section.fields else [],
            "tables": [
                (t, display.row_summaries(t, (q.data.get(key) or {}).get(t.name, []))) for t in section.tables
            ],
            "errors": errors,
            "preview_url": reverse("portal-questionnaire-preview", args=[key]),
        },
    )


@portal_page
def questionnaire_row(request: HttpRequest, key: str, table: str, index: str) -> HttpResponse:
    actor, client = portal_client(request)
    section = _section(key)
    spec = _table(section, table)
    q = services.questionnaire_open(client=client)
    rows = (q.data.get(key) or {}).get(table, [])
    position = int(index) if index.isdigit() else None
    if position is not None and position >= len(rows):
        raise Http404
    values = rows[position] if position is not None else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        remove = "remove" in request.POST
        payload = _edited(q, key, request, table=spec, index=position, remove=remove)
        try:
            services.questionnaire_save(
                actor=actor, client=client, sections={key: payload}, version=_version(request)
            )
            messages.success(request, _("Removed.") if remove else _("Saved."))
            return redirect("portal-questionnaire-section", key=key)
        except SectionError as exc:
            at = f"{key}.{table}[{position if position is not None else len(payload[table]) - 1}]."
            errors = {k.removeprefix(at): v for k, v in exc.errors.items()}
            values = read_post(spec.row, request.POST)
        except ApplicationError as exc:
            messages.error(
                request,
                _("This questionnaire changed since you opened it; check it and save again.")
                if exc.status_code == 409
                else str(exc.message),
            )
    view = selectors.client_view(client)
    return render(
        request,
        "questionnaire/portal_row.html",
        {
            "client": client,
            "section": section,
            "table": spec,
            "q": view,
            **_score_context(client, view),
            "index": index,
            "is_new": position is None,
            "inputs": inputs(spec.row, values, errors),
            "errors": errors,
            "preview_url": reverse("portal-questionnaire-preview", args=[key]),
            "occupations": noc.occupations() if table in ("work", "job_offers") else (),
            "noc_complete": noc.COMPLETE,
        },
    )


@portal_page
@require_POST
def questionnaire_preview(request: HttpRequest, key: str) -> JsonResponse:
    """The live score of the draft with this form's answers (nothing saved)."""
    _, client = portal_client(request)
    section = _section(key)
    q = services.questionnaire_open(client=client)
    table_name = request.POST.get("_table", "")
    spec = _table(section, table_name) if table_name else None
    raw = request.POST.get("_index", "")
    payload = _edited(q, key, request, table=spec, index=int(raw) if raw.isdigit() else None)
    typed = services.typed_draft(q)
    try:
        typed.update(services.check_sections(q, {key: payload}))
    except SectionError as exc:
        return JsonResponse({"errors": exc.errors}, status=200)
    score = preview_score(client, typed)
    return JsonResponse(
        {"total": score["total"], "rows": display.score_rows(score), "missing": score["missing"]}
    )


@portal_page
@require_POST
def questionnaire_submit(request: HttpRequest) -> HttpResponse:
    actor, client = portal_client(request)
    try:
        services.questionnaire_submit(actor=actor, client=client, version=_version(request))
        messages.success(
            request, _("Sent to your lawyer. Nothing changes in your file until they review it.")
        )
    except ApplicationError as exc:
        messages.error(
            request,
            _("This questionnaire changed since you opened it; check it and submit again.")
            if exc.status_code == 409
            else str(exc.message),
        )
    return redirect("portal-questionnaire")


@portal_page
@require_POST
def questionnaire_proof(request: HttpRequest, key: str, table: str) -> HttpResponse:
    actor, client = portal_client(request)
    _table(_section(key), table)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file first."))
    else:
        try:
            services.questionnaire_attach(
                actor=actor, client=client, table=table, file=upload, filename=upload.name, size=upload.size
            )
            messages.success(request, _("Attached to your file."))
        except ApplicationError as exc:
            messages.error(request, " ".join(str(v) for v in (exc.fields or {"file": exc.message}).values()))
    return redirect("portal-questionnaire-section", key=key)


TABLE_SECTIONS = {name: s.key for name, (s, _t) in TABLES.items()}
