"""The staff dashboard: home, clients, client facts, cases, documents, deadlines and notes.

Pages only call selectors (reads) and services (writes); every object is fetched through the
actor's scope, so another firm's object is a 404.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors as case_selectors
from cases import services as case_services
from cases.constants import CASE_TRANSITIONS, NEXT_STEP, CaseStatus, DocumentStatus
from firm import charts
from firm import selectors as firm_selectors
from firm import services as firm_services
from firm.errors import ApplicationError
from firm.forms import (
    FACT_FORMS,
    CaseCreateForm,
    CaseloadFilter,
    ClientForm,
    ClientSearchForm,
    DeadlineForm,
    DocumentRequestForm,
    DocumentReviewForm,
    DocumentUploadForm,
    NewDocumentUploadForm,
    NoteForm,
    TransitionForm,
    form_data,
)
from firm.views.common import apply_errors, get_actor, member_page, staff_page
from firm.views.labels import breakdown_sections
from pathways import selectors as pathway_selectors
from scoring.selectors import draws as draw_selectors
from scoring.selectors import scores as score_selectors


def _today():
    return timezone.localdate()


# --- Home ---------------------------------------------------------------------------------------------


def _lawyer_choices(actor) -> list[tuple[str, str]]:
    return [(str(m.user_id), str(m.user)) for m in firm_selectors.lawyers_of_firm(actor=actor)]


def _cutoffs(draws: list[Any]) -> list[charts.Cutoff]:
    out = []
    for d in draws:
        if getattr(d, "min_crs", None) is None:
            continue
        out.append(charts.Cutoff(label=f"#{d.draw_number}", value=int(d.min_crs), on=d.draw_date))
    return out


def staff_home(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    today = _today()
    params = request.GET.copy()
    if not params and actor.role in ("lawyer",):
        params["lawyer"] = "mine"
    caseload = case_selectors.caseload(actor=actor)
    filterset = CaseloadFilter(
        params, queryset=caseload, request=request, lawyer_choices=_lawyer_choices(actor)
    )
    cases = (
        filterset.qs.order_by("client__last_name", "-opened_at") if filterset.is_valid() else caseload.none()
    )
    page = Paginator(cases, 25).get_page(request.GET.get("page"))

    deadlines = list(
        case_selectors.deadlines_upcoming(actor=actor, today=today)
        .filter(case__in=cases)
        .order_by("due_on")[:20]
    )
    documents = list(
        case_selectors.documents_needing_attention(actor=actor, today=today)
        .filter(case__in=cases)
        .order_by("status", "expires_on", "pk")[:20]
    )
    client_ids = list(cases.values_list("client_id", flat=True).distinct()[:500])
    scores = list(score_selectors.scores_for_firm(actor).filter(client_id__in=client_ids)[:15])
    draws = list(draw_selectors.draw_list(actor)[:4])
    latest = draws[0] if draws else None
    matches = list(draw_selectors.draw_matches_for_draw(actor, latest)) if latest else []
    chart = charts.scores_vs_cutoffs(
        [
            charts.Bar(
                label=s.client.full_name, value=s.total, href=reverse("client-detail", args=[s.client_id])
            )
            for s in scores
        ],
        _cutoffs(draws),
        title=_("My clients' CRS scores against recent draw cut-offs"),
        empty_message=_("No scores yet"),
    )
    return render(
        request,
        "staff/home.html",
        {
            "filter": filterset,
            "page": page,
            "overdue": [d for d in deadlines if d.due_on < today],
            "upcoming": [d for d in deadlines if d.due_on >= today],
            "documents": documents,
            "latest_draw": latest,
            "matches": matches,
            "stuck": list(draw_selectors.notifications_stuck(actor)[:20]),
            "chart": chart,
            "today": today,
        },
    )


@member_page
def home(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if actor.is_client:
        from firm.views.portal import portal_home

        return portal_home(request)
    return staff_home(request)


# --- Clients ------------------------------------------------------------------------------------------


@staff_page
def client_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = ClientSearchForm(request.GET or None)
    qs = firm_selectors.client_list(actor=actor)
    if form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split()[:4]:
            from django.db.models import Q

            qs = qs.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "staff/client_list.html", {"form": form, "page": page})


@staff_page
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = firm_selectors.client_get(actor=actor, client_id=client_id)
    score = score_selectors.score_current(actor, client)
    history = list(score_selectors.score_history(actor, client))
    draws = list(draw_selectors.draw_list(actor)[:12])
    if history:
        first = min(s.as_of for s in history)
        draws = [d for d in draws if d.draw_date >= first - timedelta(days=120)]
    history_chart = charts.score_history(
        [charts.Point(on=s.as_of, value=s.total) for s in history],
        _cutoffs(draws),
        title=_("CRS score history with draw cut-offs"),
        empty_message=_("No score history yet"),
    )
    return render(
        request,
        "staff/client_detail.html",
        {
            "client": client,
            "facts": firm_selectors.client_fact_lists(actor=actor, client=client),
            "score": score,
            "sections": breakdown_sections(score),
            "missing": [] if score else score_selectors.score_missing_facts(actor, client),
            "improvements": score_selectors.whatif_for_score(score)[:8] if score else [],
            "history_chart": history_chart,
            "eligibility": score_selectors.eligibility_for_client(actor, client),
            "pathways": pathway_selectors.pathways_fit(actor, client, as_of=_today()).results[:10],
            "draw_matches": draw_selectors.draw_matches_for_client(actor, client),
            "cases": case_selectors.case_list(actor=actor).filter(client=client),
            "case_form": CaseCreateForm(),
            "fact_kinds": [(kind, label) for kind, (_form, label) in FACT_FORMS.items()],
        },
    )


@staff_page
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = firm_selectors.client_get(actor=actor, client_id=client_id)
    lawyers = _lawyer_users(actor)
    fresh = type(client)(firm_id=client.firm_id)
    if request.method == "POST":
        form = ClientForm(request.POST, instance=fresh, lawyers=lawyers)
        if form.is_valid():
            try:
                firm_services.client_update(actor=actor, client=client, data=form_data(form))
            except (ApplicationError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("client-detail", client_id=client.pk)
    else:
        form = ClientForm(instance=fresh, initial=model_to_dict(client), lawyers=lawyers)
    status = 400 if form.errors else 200
    return render(request, "staff/client_form.html", {"client": client, "form": form}, status=status)


def _lawyer_users(actor):
    from firm.models import User

    ids = firm_selectors.staff_list(actor=actor).filter(is_active=True).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=list(ids))


@staff_page
@require_http_methods(["GET", "POST"])
def client_fact_edit(
    request: HttpRequest, client_id: int, kind: str, fact_id: int | None = None
) -> HttpResponse:
    actor = get_actor(request)
    client = firm_selectors.client_get(actor=actor, client_id=client_id)
    if kind not in FACT_FORMS:
        from django.http import Http404

        raise Http404
    form_class, label = FACT_FORMS[kind]
    fact = (
        firm_selectors.client_fact_get(actor=actor, client=client, kind=kind, fact_id=fact_id)
        if fact_id
        else None
    )
    fresh = form_class._meta.model(client=client)
    if request.method == "POST":
        form = form_class(request.POST, instance=fresh)
        if form.is_valid():
            try:
                if fact is None:
                    firm_services.client_fact_create(
                        actor=actor, client=client, kind=kind, data=form_data(form)
                    )
                else:
                    firm_services.client_fact_update(actor=actor, fact=fact, data=form_data(form))
            except (ApplicationError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("client-detail", args=[client.pk]) + "#facts")
    else:
        form = form_class(instance=fresh, initial=model_to_dict(fact) if fact else None)
    status = 400 if form.errors else 200
    return render(
        request,
        "staff/fact_form.html",
        {"client": client, "form": form, "label": label, "fact": fact, "kind": kind},
        status=status,
    )


@staff_page
@require_POST
def client_fact_delete(request: HttpRequest, client_id: int, kind: str, fact_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = firm_selectors.client_get(actor=actor, client_id=client_id)
    fact = firm_selectors.client_fact_get(actor=actor, client=client, kind=kind, fact_id=fact_id)
    firm_services.client_fact_delete(actor=actor, fact=fact)
    messages.success(request, _("Deleted."))
    return redirect(reverse("client-detail", args=[client.pk]) + "#facts")


@staff_page
@require_POST
def client_invite(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = firm_selectors.client_get(actor=actor, client_id=client_id)
    try:
        firm_services.client_portal_invite(actor=actor, client=client)
    except ApplicationError as exc:
        messages.error(request, " ".join([exc.message, *exc.fields.values()]))
    else:
        messages.success(
            request,
            _("Portal access created. The client can log in with a one-time email link or reset a password."),
        )
    return redirect("client-detail", client_id=client.pk)


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
    today = _today()
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
    }


@staff_page
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.case_get(actor=get_actor(request), case_id=case_id)
    return render(request, "staff/case_detail.html", _case_context(request, case))


def _case_error(request: HttpRequest, case, **forms: Any) -> HttpResponse:
    return render(request, "staff/case_detail.html", _case_context(request, case, **forms), status=400)


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
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    try:
        handle = case_services.document_open(actor=actor, document=document)
    except ApplicationError:
        from django.http import Http404

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
        from django.http import Http404

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
