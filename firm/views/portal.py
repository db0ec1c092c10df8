"""The client portal: the client's own cases, checklist with upload (phone camera), deadlines, shared
notes and CRS score. Everything is fetched through the client's scope: another client's case is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases import services as case_services
from cases.constants import NEXT_STEP, DocumentStatus
from firm import selectors as firm_selectors
from firm.errors import ApplicationError
from firm.forms import DocumentUploadForm
from firm.views.common import get_actor, portal_page
from firm.views.labels import breakdown_sections
from scoring.selectors import scores as score_selectors


def _client(request: HttpRequest):
    actor = get_actor(request)
    return actor, firm_selectors.client_get(actor=actor, client_id=actor.client_id)


def portal_home(request: HttpRequest) -> HttpResponse:
    """Rendered by `home` for clients (the decorator there already checked the login)."""
    actor, client = _client(request)
    cases = list(case_selectors.case_list(actor=actor).order_by("-opened_at"))
    documents = list(case_selectors.document_list(actor=actor))
    todo = [
        d
        for d in documents
        if d.status in (DocumentStatus.REQUESTED, DocumentStatus.REJECTED, DocumentStatus.EXPIRED)
    ]
    score = score_selectors.score_current(actor, client)
    return render(
        request,
        "portal/home.html",
        {
            "client": client,
            "cases": [(c, NEXT_STEP.get(c.status, "")) for c in cases],
            "todo": todo,
            "deadlines": case_selectors.deadline_list(actor=actor).filter(done=False).order_by("due_on")[:10],
            "score": score,
            "today": timezone.localdate(),
        },
    )


@portal_page
def portal_case(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = get_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id)
    return render(request, "portal/case.html", _case_context(request, case))


def _case_context(request: HttpRequest, case, bad_form=None, bad_document_id=None):
    actor = get_actor(request)
    documents = list(
        case_selectors.document_list(actor=actor).filter(case=case).order_by("status", "kind", "pk")
    )
    return {
        "case": case,
        "next_step": NEXT_STEP.get(case.status, ""),
        "documents": [
            (d, bad_form if bad_document_id == d.pk else DocumentUploadForm(auto_id=f"id_doc{d.pk}_%s"))
            for d in documents
        ],
        "deadlines": case_selectors.deadline_list(actor=actor).filter(case=case).order_by("done", "due_on"),
        "notes": case_selectors.note_list(actor=actor).filter(case=case),
        "history": case_selectors.status_history(actor=actor, case=case),
        "today": timezone.localdate(),
    }


@portal_page
@require_POST
def portal_document_upload(request: HttpRequest, document_id: int) -> HttpResponse:
    actor = get_actor(request)
    document = case_selectors.document_get(actor=actor, document_id=document_id)
    form = DocumentUploadForm(request.POST, request.FILES, auto_id=f"id_doc{document.pk}_%s")
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
            form.add_error("file" if "file" in exc.fields else None, exc.fields.get("file") or exc.message)
        else:
            messages.success(request, _("Thank you, your document was received."))
            return redirect(reverse("portal-case", args=[document.case_id]) + "#checklist")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return render(
        request,
        "portal/case.html",
        _case_context(request, document.case, bad_form=form, bad_document_id=document.pk),
        status=400,
    )


@portal_page
def portal_score(request: HttpRequest) -> HttpResponse:
    actor, client = _client(request)
    score = score_selectors.score_current(actor, client)
    return render(
        request,
        "portal/score.html",
        {
            "client": client,
            "score": score,
            "sections": breakdown_sections(score),
            "missing": [] if score else score_selectors.score_missing_facts(actor, client),
            "improvements": score_selectors.whatif_for_score(score)[:8] if score else [],
        },
    )
