"""The client portal's case pages: a case, its documents and uploads."""

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
from cases.constants import INTERNAL_DEADLINE_KINDS, NEXT_STEP
from cases.web.forms import DocumentUploadForm
from cases.web.lifecycle import portal_milestones
from firm.errors import ApplicationError
from firm.web.common import get_actor, portal_page


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
        "deadlines": case_selectors.deadline_list(actor=actor)
        .filter(case=case)
        .exclude(kind__in=INTERNAL_DEADLINE_KINDS)
        .order_by("done", "due_on"),
        "notes": case_selectors.note_list(actor=actor).filter(case=case),
        "history": case_selectors.status_history(actor=actor, case=case),
        "milestones": portal_milestones(actor, case),
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
        {
            **_case_context(request, document.case, bad_form=form, bad_document_id=document.pk),
            "canonical_url": reverse("portal-case", args=[document.case_id]),
        },
        status=400,
    )
