"""Staff pages of a case: open, detail, status transitions, documents, deadlines, notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases import services as case_services
from cases.constants import CASE_TRANSITIONS, NEXT_STEP, CaseStatus, DocumentStatus
from cases.web.forms import (
    CaseCreateForm,
    DeadlineForm,
    DocumentRequestForm,
    DocumentReviewForm,
    DocumentUploadForm,
    NewDocumentUploadForm,
    NoteForm,
    TransitionForm,
)
from cases.web.lifecycle import lifecycle_context
from firm import selectors as firm_selectors
from firm.errors import ApplicationError
from firm.web.common import apply_errors, get_actor, member_page, staff_page
from firm.web.home import local_today
from pathways import selectors as pathway_selectors


@staff_page
@require_POST
def case_create(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = firm_selectors.client_get(actor=actor, client_id=client_id)
    form = CaseCreateForm(request.POST)
    if form.is_valid():
        try:
            case = case_services.case_create(actor=actor, client=client, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            return redirect("case-detail", case_id=case.pk)
    messages.error(request, _("The case could not be opened: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("client-detail", client_id=client.pk)


# --- Cases --------------------------------------------------------------------------------------------


def _case_context(request: HttpRequest, case, **forms: Any) -> dict[str, Any]:
    actor = get_actor(request)
    today = local_today()
    documents = list(
        case_selectors.document_list(actor=actor).filter(case=case).order_by("status", "kind", "pk")
    )
    allowed = sorted(CASE_TRANSITIONS.get(case.status, ()), key=lambda s: list(CaseStatus.values).index(s))
    return {
        "case": case,
        "client": case.client,
        "next_step": NEXT_STEP.get(case.status, ""),
        "history": case_selectors.status_history(actor=actor, case=case),
        "transitions": [(s, CaseStatus(s).label) for s in allowed],
        "documents": documents,
        "doc_counts": {s: sum(1 for d in documents if d.status == s) for s in DocumentStatus.values},
        "deadlines": case_selectors.deadline_list(actor=actor).filter(case=case).order_by("done", "due_on"),
        "notes": case_selectors.note_list(actor=actor).filter(case=case),
        "assessments": pathway_selectors.case_assessments(actor=actor, case_id=case.pk),
        "today": today,
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "request_form": forms.get("request_form") or DocumentRequestForm(prefix="req"),
        "upload_form": forms.get("upload_form") or NewDocumentUploadForm(prefix="new"),
        "doc_upload_form": DocumentUploadForm(),
        "review_form": DocumentReviewForm(),
        "deadline_form": forms.get("deadline_form") or DeadlineForm(prefix="dl"),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "form_errors": forms.get("form_errors", []),
        **lifecycle_context(actor, case, **forms),
    }


@staff_page
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.case_get(actor=get_actor(request), case_id=case_id)
    return render(request, "staff/case_detail.html", _case_context(request, case))


def _case_error(request: HttpRequest, case, **forms: Any) -> HttpResponse:
    """Re-render the case page with the errors (400); the address bar is set back to the case page."""
    context = {
        **_case_context(request, case, **forms),
        "canonical_url": reverse("case-detail", args=[case.pk]),
    }
    return render(request, "staff/case_detail.html", context, status=400)


@staff_page
@require_POST
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            case_services.case_transition(
                actor=actor,
                case=case,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                override_reason=request.POST.get("override_reason", "")[:300],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Status changed to %(status)s.")
                % {"status": CaseStatus(form.cleaned_data["to_status"]).label},
            )
            return redirect("case-detail", case_id=case.pk)
    return _case_error(request, case, transition_form=form, form_errors=_flat(form))


def _flat(form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        for e in errors:
            out.append(
                e
                if name == "__all__"
                else f"{form.fields[name].label or name}: {e}"
                if name in form.fields
                else e
            )
    return out


@staff_page
@require_POST
def document_request(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = DocumentRequestForm(request.POST, prefix="req")
    if form.is_valid():
        try:
            case_services.document_request(actor=actor, case=case, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document requested."))
            return redirect(reverse("case-detail", args=[case.pk]) + "#documents")
    return _case_error(request, case, request_form=form, form_errors=_flat(form))


@staff_page
@require_POST
def document_create_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = NewDocumentUploadForm(request.POST, request.FILES, prefix="new")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            case_services.document_create_with_file(
                actor=actor,
                case=case,
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                file=upload,
                filename=upload.name,
                size=upload.size,
                expires_on=form.cleaned_data["expires_on"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect(reverse("case-detail", args=[case.pk]) + "#documents")
    return _case_error(request, case, upload_form=form, form_errors=_flat(form))


@staff_page
@require_POST
def document_upload(request: HttpRequest, document_id: int) -> HttpResponse:
    actor = get_actor(request)
    document = case_selectors.document_get(actor=actor, document_id=document_id)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            case_services.document_upload(
                actor=actor,
                document=document,
                file=upload,
                filename=upload.name,
                size=upload.size,
                expires_on=form.cleaned_data["expires_on"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect(reverse("case-detail", args=[document.case_id]) + "#documents")
    return _case_error(request, document.case, form_errors=_flat(form))


@staff_page
@require_POST
def document_review(request: HttpRequest, document_id: int) -> HttpResponse:
    actor = get_actor(request)
    document = case_selectors.document_get(actor=actor, document_id=document_id)
    form = DocumentReviewForm(request.POST)
    if form.is_valid():
        try:
            case_services.document_review(
                actor=actor,
                document=document,
                verified=form.cleaned_data["decision"] == "verify",
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document reviewed."))
            return redirect(reverse("case-detail", args=[document.case_id]) + "#documents")
    return _case_error(request, document.case, form_errors=_flat(form))


@member_page
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    """Permission-checked (scoped fetch: another firm's or client's document is a 404) and audited."""
    actor = get_actor(request)
    document = case_selectors.document_get(actor=actor, document_id=document_id)
    if not actor.is_client and not actor.can("document.view"):
        raise PermissionDenied
    try:
        handle = case_services.document_open(actor=actor, document=document)
    except ApplicationError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_filename or f"document-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_page
@require_POST
def deadline_create(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = DeadlineForm(request.POST, prefix="dl")
    if form.is_valid():
        try:
            case_services.deadline_create(
                actor=actor,
                case=case,
                kind=form.cleaned_data["kind"] or "manual",
                label=form.cleaned_data["label"],
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(reverse("case-detail", args=[case.pk]) + "#deadlines")
    return _case_error(request, case, deadline_form=form, form_errors=_flat(form))


@staff_page
@require_POST
def deadline_done(request: HttpRequest, deadline_id: int) -> HttpResponse:
    actor = get_actor(request)
    deadline = case_selectors.deadline_list(actor=actor).filter(pk=deadline_id).first()
    if deadline is None:
        raise Http404
    case_services.deadline_complete(actor=actor, deadline=deadline, done=request.POST.get("done", "1") == "1")
    target = request.POST.get("from") == "home"
    return redirect("home" if target else reverse("case-detail", args=[deadline.case_id]) + "#deadlines")


@staff_page
@require_POST
def note_create(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            case_services.note_create(actor=actor, case=case, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(reverse("case-detail", args=[case.pk]) + "#notes")
    return _case_error(request, case, note_form=form, form_errors=_flat(form))
