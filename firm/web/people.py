"""Staff pages for the people of a file: create a client (and their first case) with duplicate
detection, and the client page's family, residences and status documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import services as case_services
from cases.web.lifecycle_forms import ClientCreateForm, FamilyMemberForm, ResidenceForm, StatusDocumentForm
from firm import people_services as people
from firm import selectors as firm_selectors
from firm import services as firm_services
from firm.errors import ApplicationError
from firm.models import Firm
from firm.scoping import Actor
from firm.web.common import apply_errors, get_actor, staff_page
from firm.web.forms import form_data


def _lawyers(actor: Actor):
    from firm.models import User

    ids = firm_selectors.staff_list(actor=actor).filter(is_active=True).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=list(ids))


def _member_choices(client) -> list[tuple[Any, str]]:
    return [("", client.full_name)] + [(m.pk, m.full_name) for m in client.family_members.all()]


def people_context(actor: Actor, client, **forms: Any) -> dict[str, Any]:
    """What the client page adds: family, residences, status documents (with state today), forms."""
    today = timezone.localdate()
    documents = list(people.status_document_list(actor=actor).filter(client=client))
    for d in documents:
        d.state = d.state_on(today)
        d.days_left = (d.expires_on - today).days
    return {
        "family": list(people.family_list(actor=actor).filter(client=client)),
        "family_size": people.family_size(client=client),
        "residences": list(people.residence_list(actor=actor).filter(client=client)),
        "status_documents": documents,
        "family_form": forms.get("family_form") or FamilyMemberForm(prefix="fam"),
        "residence_form": forms.get("residence_form")
        or ResidenceForm(prefix="res", member_choices=_member_choices(client)),
        "status_document_form": forms.get("status_document_form")
        or StatusDocumentForm(prefix="sd", member_choices=_member_choices(client)),
    }


@staff_page(permission="client.change")
@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    """A new client and, optionally, their first case. Possible duplicates are listed and must be
    confirmed with "create anyway"."""
    actor = get_actor(request)
    lawyers = _lawyers(actor)
    duplicates: list[Any] = []
    firm = Firm.objects.get(pk=actor.firm_id)
    if request.method == "POST":
        form = ClientCreateForm(request.POST, instance=firm.clients.model(firm=firm), lawyers=lawyers)
        if form.is_valid():
            d = form.cleaned_data
            duplicates = list(
                people.client_duplicates(
                    actor=actor,
                    first_name=d["first_name"],
                    last_name=d["last_name"],
                    date_of_birth=d["date_of_birth"],
                    email=d["email"],
                )[:10]
            )
            if duplicates and not d["create_anyway"]:
                form.add_error(
                    None, _("This client may already exist. Open the existing file, or tick “Create anyway”.")
                )
            else:
                data = {k: v for k, v in form_data(form).items() if k in form.Meta.fields}
                try:
                    client = firm_services.client_create(actor=actor, firm=firm, **data)
                    if d["first_case_pathway"]:
                        case = case_services.case_create(
                            actor=actor,
                            client=client,
                            pathway=d["first_case_pathway"],
                            stream=d["first_case_stream"],
                        )
                        messages.success(request, _("Client and first case created."))
                        return redirect("case-detail", case_id=case.pk)
                except (ApplicationError, ValidationError) as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Client created."))
                    return redirect("client-detail", client_id=client.pk)
    else:
        form = ClientCreateForm(lawyers=lawyers, initial={"assigned_lawyer": actor.user_id})
    status = 400 if form.errors else 200
    return render(
        request, "staff/client_create.html", {"form": form, "duplicates": duplicates}, status=status
    )


def _client(actor: Actor, client_id: int):
    return firm_selectors.client_get(actor=actor, client_id=client_id)


def _back(client_id: int) -> HttpResponse:
    return redirect(reverse("client-detail", args=[client_id]) + "#family")


def _fail(request: HttpRequest, form, exc: Exception | None = None) -> None:
    if exc is not None:
        apply_errors(form, exc)  # type: ignore[arg-type]
    errors = [f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in form.errors.items()]
    messages.error(request, _("Not saved: %(errors)s") % {"errors": "; ".join(errors)})


@staff_page(permission="client.change")
@require_POST
def family_create(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = _client(actor, client_id)
    form = FamilyMemberForm(request.POST, prefix="fam")
    if form.is_valid():
        try:
            people.family_member_create(actor=actor, client=client, **form.cleaned_data)
        except ApplicationError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("Family member added; the checklists of open cases are updated."))
    else:
        _fail(request, form)
    return _back(client.pk)


@staff_page(permission="client.change")
@require_POST
def family_delete(request: HttpRequest, member_id: int) -> HttpResponse:
    actor = get_actor(request)
    member = people.family_list(actor=actor).filter(pk=member_id).first()
    if member is None:
        raise Http404
    people.family_member_delete(actor=actor, member=member)
    return _back(member.client_id)


def _member(client, member_id: int | None):
    return client.family_members.filter(pk=member_id).first() if member_id else None


@staff_page(permission="client.change")
@require_POST
def residence_create(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = _client(actor, client_id)
    form = ResidenceForm(request.POST, prefix="res", member_choices=_member_choices(client))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["member"] = _member(client, data.get("member"))
        try:
            people.residence_create(actor=actor, client=client, **data)
        except ApplicationError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("Residence added; police certificates are requested where needed."))
    else:
        _fail(request, form)
    return _back(client.pk)


@staff_page(permission="client.change")
@require_POST
def residence_delete(request: HttpRequest, period_id: int) -> HttpResponse:
    actor = get_actor(request)
    period = people.residence_list(actor=actor).filter(pk=period_id).first()
    if period is None:
        raise Http404
    people.residence_delete(actor=actor, period=period)
    return _back(period.client_id)


@staff_page(permission="client.change")
@require_POST
def status_document_create(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = _client(actor, client_id)
    form = StatusDocumentForm(request.POST, prefix="sd", member_choices=_member_choices(client))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["member"] = _member(client, data.get("member"))
        data["number"] = (data.get("number") or "").strip().upper().replace(" ", "")
        try:
            people.status_document_create(actor=actor, client=client, **data)
        except ApplicationError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("Status document added."))
    else:
        _fail(request, form)
    return _back(client.pk)


@staff_page(permission="client.change")
@require_POST
def status_document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    actor = get_actor(request)
    doc = people.status_document_list(actor=actor).filter(pk=document_id).first()
    if doc is None:
        raise Http404
    people.status_document_delete(actor=actor, document=doc)
    return _back(doc.client_id)
