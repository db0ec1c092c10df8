"""The staff page of a client's questionnaire: each proposed change beside the stored fact, accept or
reject each with a reason, send the questionnaire, send it back with questions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firm.errors import ApplicationError
from firm.web.common import get_actor, staff_page
from questionnaire import selectors, services
from questionnaire.sections import SECTIONS
from questionnaire.web import display


def _error_text(exc: ApplicationError) -> str:
    return " ".join(f"{v}" for v in (exc.fields or {"detail": exc.message}).values())


@staff_page
def client_questionnaire(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = selectors.client_for(actor, client_id)
    view = selectors.staff_view(client)
    return render(
        request,
        "questionnaire/staff.html",
        {
            "client": client,
            "q": view,
            "pending": display.change_rows(view["pending"]),
            "decided": display.change_rows(view["decided"]),
            "sections": SECTIONS,
        },
    )


@staff_page(permission="client.change")
@require_POST
def client_questionnaire_review(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = selectors.client_for(actor, client_id)
    accept, reject = [], []
    for key, value in request.POST.items():
        if not key.startswith("decision-") or not key[9:].isdigit():
            continue
        cid = int(key[9:])
        if value == "accept":
            accept.append(cid)
        elif value == "reject":
            reject.append({"id": cid, "reason": request.POST.get(f"reason-{cid}", "")})
    try:
        services.questionnaire_review(actor=actor, client=client, accept=accept, reject=reject)
        messages.success(request, _("Review saved."))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("client-questionnaire", client_id=client.pk)


@staff_page(permission="client.change")
@require_POST
def client_questionnaire_send(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = selectors.client_for(actor, client_id)
    try:
        services.questionnaire_send(actor=actor, client=client)
        messages.success(request, _("The questionnaire was sent to the client."))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("client-questionnaire", client_id=client.pk)


@staff_page(permission="client.change")
@require_POST
def client_questionnaire_return(request: HttpRequest, client_id: int) -> HttpResponse:
    actor = get_actor(request)
    client = selectors.client_for(actor, client_id)
    questions = [
        {"path": path, "text": text}
        for path, text in zip(request.POST.getlist("path"), request.POST.getlist("text"), strict=False)
        if text.strip()
    ]
    try:
        services.questionnaire_return(actor=actor, client=client, questions=questions)
        messages.success(request, _("Sent back to the client with your questions."))
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("client-questionnaire", client_id=client.pk)
