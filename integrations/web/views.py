"""Integrations pages: intake sources (mapping, test, failed submissions) and webhook endpoints (log)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from firm.errors import ApplicationError
from firm.events import EVENT_TYPES
from firm.web.common import apply_errors, get_actor, staff_page
from integrations import mapping, selectors
from integrations.models import IntakeSubmission, WebhookDelivery
from integrations.services import intake as intake_services
from integrations.services import webhooks as webhook_services
from integrations.web.forms import IntakeSourceCreateForm, IntakeSourceMappingForm, WebhookEndpointForm


def _get(queryset, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@staff_page(permission="integrations.view")
def integrations_home(request: HttpRequest) -> HttpResponse:
    return _home(request)


def _home(request: HttpRequest, **extra) -> HttpResponse:
    actor = get_actor(request)
    manage = actor.can("integrations.manage")
    context = {
        "sources": selectors.source_list(actor=actor),
        "endpoints": selectors.endpoint_list(actor=actor),
        "failed": selectors.submission_list(actor=actor).filter(status=IntakeSubmission.Status.FAILED)[:50],
        "manage": manage,
        "source_form": extra.get("source_form") or IntakeSourceCreateForm(prefix="source"),
        "endpoint_form": extra.get("endpoint_form") or WebhookEndpointForm(prefix="endpoint"),
        "event_labels": EVENT_TYPES,
    }
    return render(request, "integrations/home.html", context, status=extra.get("status", 200))


@staff_page(permission="integrations.manage")
@require_POST
def source_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = IntakeSourceCreateForm(request.POST, prefix="source")
    if form.is_valid():
        try:
            source, secret = intake_services.source_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            return _source_page(request, source.pk, new_secret=secret)
    return _home(request, source_form=form, status=400)


def _source_page(request: HttpRequest, source_id: int, *, status: int = 200, **extra) -> HttpResponse:
    actor = get_actor(request)
    source = _get(selectors.source_list(actor=actor), source_id)
    form = extra.pop("form", None) or IntakeSourceMappingForm(
        initial={
            "name": source.name,
            "is_active": source.is_active,
            "mapping": json.dumps(source.mapping, indent=2, ensure_ascii=False),
            "value_map": json.dumps(source.value_map, indent=2, ensure_ascii=False),
            "defaults": json.dumps(source.defaults, indent=2, ensure_ascii=False),
        }
    )
    new_secret = extra.pop("new_secret", "")
    context = {
        "source": source,
        "form": form,
        "manage": actor.can("integrations.manage"),
        "receive_url": request.build_absolute_uri(intake_services.receive_path(source, secret=new_secret)),
        "new_secret": new_secret,
        "submissions": selectors.submission_list(actor=actor, source_id=source.pk)[:50],
        "targets": mapping.targets(),
        **extra,
    }
    return render(request, "integrations/source.html", context, status=status)


@staff_page(permission="integrations.view")
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    return _source_page(request, source_id)


@staff_page(permission="integrations.manage")
@require_POST
def source_update(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = get_actor(request)
    source = _get(selectors.source_list(actor=actor), source_id)
    form = IntakeSourceMappingForm(request.POST)
    if form.is_valid():
        try:
            intake_services.source_update(actor=actor, source=source, data=form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The source was saved."))
            return redirect("intake-source-detail", source_id=source.pk)
    return _source_page(request, source_id, form=form, status=400)


@staff_page(permission="integrations.manage")
@require_POST
def source_test(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = get_actor(request)
    source = _get(selectors.source_list(actor=actor), source_id)
    preview = intake_services.source_preview(actor=actor, source=source)
    preview["payload_json"] = json.dumps(preview["payload"], indent=2, ensure_ascii=False, default=str)
    return _source_page(request, source_id, preview=preview)


@staff_page(permission="integrations.manage")
@require_POST
def source_rotate(request: HttpRequest, source_id: int) -> HttpResponse:
    actor = get_actor(request)
    source = _get(selectors.source_list(actor=actor), source_id)
    secret = intake_services.source_rotate_secret(actor=actor, source=source)
    return _source_page(request, source_id, new_secret=secret)


@staff_page(permission="integrations.manage")
@require_POST
def submission_replay(request: HttpRequest, submission_id: int) -> HttpResponse:
    actor = get_actor(request)
    submission = _get(selectors.submission_list(actor=actor), submission_id)
    try:
        result = intake_services.submission_replay(actor=actor, submission=submission)
    except ApplicationError as exc:
        messages.error(request, " ".join(str(v) for v in exc.fields.values()) or exc.message)
    else:
        if result.status == 201:
            messages.success(request, _("The submission created its client."))
        else:
            messages.error(request, _("The submission still cannot be mapped: see its errors."))
    return redirect("intake-source-detail", source_id=submission.source_id)


@staff_page(permission="integrations.manage")
@require_POST
def endpoint_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = WebhookEndpointForm(request.POST, prefix="endpoint")
    if form.is_valid():
        try:
            endpoint, secret = webhook_services.endpoint_create(actor=actor, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            return _endpoint_page(request, endpoint.pk, new_secret=secret)
    return _home(request, endpoint_form=form, status=400)


def _endpoint_page(request: HttpRequest, endpoint_id: int, *, status: int = 200, **extra) -> HttpResponse:
    actor = get_actor(request)
    endpoint = _get(selectors.endpoint_list(actor=actor), endpoint_id)
    form = extra.pop("form", None) or WebhookEndpointForm(
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "event_types": endpoint.event_types,
            "is_active": endpoint.is_active,
        }
    )
    deliveries = (
        selectors.delivery_list(actor=actor, endpoint_id=endpoint.pk)
        .prefetch_related("log")
        .order_by("-created_at", "-pk")[:50]
    )
    context = {
        "endpoint": endpoint,
        "form": form,
        "deliveries": deliveries,
        "replayable": {WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED},
        "event_labels": EVENT_TYPES,
        **extra,
    }
    return render(request, "integrations/endpoint.html", context, status=status)


@staff_page(permission="integrations.manage")
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    return _endpoint_page(request, endpoint_id)


@staff_page(permission="integrations.manage")
@require_POST
def endpoint_update(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = get_actor(request)
    endpoint = _get(selectors.endpoint_list(actor=actor), endpoint_id)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            webhook_services.endpoint_update(actor=actor, endpoint=endpoint, data=form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhook-endpoint-detail", endpoint_id=endpoint.pk)
    return _endpoint_page(request, endpoint_id, form=form, status=400)


@staff_page(permission="integrations.manage")
@require_POST
def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = get_actor(request)
    endpoint = _get(selectors.endpoint_list(actor=actor), endpoint_id)
    secret = webhook_services.endpoint_rotate_secret(actor=actor, endpoint=endpoint)
    return _endpoint_page(request, endpoint_id, new_secret=secret)


@staff_page(permission="integrations.manage")
@require_POST
def delivery_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    actor = get_actor(request)
    delivery = _get(selectors.delivery_list(actor=actor), delivery_id)
    try:
        webhook_services.delivery_replay(actor=actor, delivery=delivery)
    except ApplicationError as exc:
        messages.error(request, " ".join(str(v) for v in exc.fields.values()) or exc.message)
    else:
        messages.success(request, _("The event will be sent again."))
    return redirect("webhook-endpoint-detail", endpoint_id=delivery.endpoint_id)
