"""Staff pages of clients: list, detail (facts, score, eligibility, pathways, cases), edit, facts, portal invitation."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.web.forms import (
    CaseCreateForm,
)
from firm import selectors as firm_selectors
from firm import services as firm_services
from firm.emails import portal_invitation_send
from firm.errors import ApplicationError
from firm.web import charts
from firm.web.common import apply_errors, get_actor, staff_page
from firm.web.forms import FACT_FORMS, ClientForm, ClientSearchForm, form_data
from firm.web.home import draw_cutoffs, local_today
from firm.web.labels import breakdown_sections
from firm.web.people import people_context
from pathways import selectors as pathway_selectors
from scoring.selectors import draws as draw_selectors
from scoring.selectors import history as history_selectors
from scoring.selectors import scores as score_selectors
from scoring.selectors.next_change import next_change_for_score

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
    # The period: from the first score (and at least a year back) to today. Its draws show even when
    # there is a single score.
    end = max([local_today(), *(s.as_of for s in history)])
    start = min([end - timedelta(days=365), *(s.as_of for s in history)])
    draws = list(draw_selectors.draw_list(actor, date_from=start, date_to=end)[:40])
    history_chart = charts.score_history(
        [charts.Point(on=s.as_of, value=s.total) for s in history],
        draw_cutoffs(draws),
        title=_("CRS score history with draw cut-offs"),
        empty_message=_("No score history yet"),
        period=(start, end),
    )
    return render(
        request,
        "staff/client_detail.html",
        {
            "client": client,
            "facts": firm_selectors.client_fact_lists(actor=actor, client=client),
            "score": score,
            "sections": breakdown_sections(score),
            "next_change": next_change_for_score(actor, score),
            "missing": [] if score else score_selectors.score_missing_facts(actor, client),
            "improvements": score_selectors.whatif_for_score(score)[:8] if score else [],
            "proposed": history_selectors.score_proposed_comparison(actor, client)
            if history_selectors.proposed_comparison_enabled(client.firm_id)
            else None,
            "history_chart": history_chart,
            "history_period": (start, end),
            "history_draws": len(draws),
            "eligibility": score_selectors.eligibility_summary(
                actor, client, today=local_today(), computed_when_unstored=True
            ),
            "pathways": pathway_selectors.pathways_fit(actor, client, as_of=local_today()).results[:10],
            "draw_matches": draw_selectors.draw_matches_for_client(actor, client),
            "cases": case_selectors.case_list(actor=actor).filter(client=client),
            "case_form": CaseCreateForm(),
            "fact_kinds": [(kind, label) for kind, (_form, label) in FACT_FORMS.items()],
            **people_context(actor, client),
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
        user = firm_services.client_portal_invite(actor=actor, client=client)
    except ApplicationError as exc:
        messages.error(request, " ".join([exc.message, *exc.fields.values()]))
    else:
        portal_invitation_send(user=user, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            _("Portal access created. %(email)s was emailed an invitation with a link to choose a password.")
            % {"email": client.email},
        )
    return redirect("client-detail", client_id=client.pk)
