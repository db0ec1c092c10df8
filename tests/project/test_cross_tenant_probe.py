"""Cross-tenant probe over the whole generated schema (every app's endpoints, present and future).

For every operation in the OpenAPI schema and every principal of firm B (admin, lawyer, paralegal,
an API key with every scope, and client B through the portal), fill the path parameters with firm A's
(client A's) objects and call the operation. Every answer must be 401/403/404/405, no body may contain
firm A's data (firm A's text carries the marker "LEAKA"), and firm A's rows must be unchanged.

Path parameters are filled generically: `{id}`/`{pk}` (or the view's `lookup_url_kwarg`) is the view's
own queryset model, `{<model>_id}` / `{<model>_pk}` / `{<model>}` is that model (any installed app).
Models the tenant fixture lacks are created for firm A by `tests.factories.make_instance`. A model with
no tenant scope (`scope_firm_path`) is shared reference data (e.g. published Express Entry draws) and is
only checked not to point at a firm or client.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from tests.conftest import LEAK_MARKER, Tenant, Tenants
from tests.factories import PDF_BYTES, make_instance, upload_file

pytestmark = pytest.mark.django_db

ALLOWED = {401, 403, 404, 405}
PARAM = re.compile(r"{([^}]+)}")
# Path parameters that cannot be mapped to a model, with the reason. Keep this list small.
UNMAPPABLE_PARAMS: dict[str, str] = {
    # A personal token's key: looked up only among the caller's own tokens (not a tenant object);
    # another user's token id is a 404: tests/security/test_accounts_and_tokens.py.
    "token_id": "personal API token of the caller",
}


def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _model_by_param(name: str) -> type[models.Model] | None:
    base = re.sub(r"_(id|pk)$", "", name).replace("_", "").lower()
    for model in apps.get_models():
        if model.__name__.lower() == base:
            return model
    return None


def _view_for(path: str) -> tuple[Any, type[models.Model] | None]:
    match = resolve(PARAM.sub("1", path))
    view_cls = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    queryset = getattr(view_cls, "queryset", None)
    return view_cls, (queryset.model if queryset is not None else None)


def _is_tenant_model(model: type[models.Model]) -> bool:
    return getattr(model, "scope_firm_path", None) is not None


def _related_of(tenant: Tenant) -> dict[type, Any]:
    related = dict(tenant.related)
    for fact in tenant.facts.values():
        related.setdefault(type(fact), fact)
    return related


def _instance(model: type[models.Model], related: dict[type, Any]) -> Any:
    if model not in related:
        related[model] = make_instance(model, related=related, marker=LEAK_MARKER)
    return related[model]


def _example(schema: dict[str, Any], components: dict[str, Any], name: str, related: dict[type, Any]) -> Any:
    """A plausible value for a request field; a field named like a model gets firm A's object id."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        return _example(schema["allOf"][0], components, name, related)
    if "oneOf" in schema or "anyOf" in schema:
        return _example((schema.get("oneOf") or schema.get("anyOf"))[0], components, name, related)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v not in ("", None)), None)
    kind = schema.get("type")
    model = _model_by_param(name)
    if kind == "integer" and model is not None and _is_tenant_model(model):
        return _instance(model, related).pk
    if kind == "integer" or kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return {
            key: _example(sub, components, key, related)
            for key, sub in schema.get("properties", {}).items()
            if key in schema.get("required", [])
        }
    if schema.get("format") == "date":
        return date.today().isoformat()
    if schema.get("format") == "binary":
        return upload_file(PDF_BYTES, "probe.pdf", "application/pdf")
    if schema.get("format") == "email":
        return "probe@b.test"
    return "probe"


def _body(
    operation: dict[str, Any], components: dict[str, Any], related: dict[type, Any]
) -> tuple[Any, str | None]:
    content = (operation.get("requestBody") or {}).get("content") or {}
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            body = _example(content[media].get("schema", {}), components, "", related)
            return body, ("json" if media == "application/json" else "multipart")
    return None, None


def _snapshot(related: dict[type, Any]) -> dict[str, Any]:
    out = {}
    for model, obj in related.items():
        fresh = model._default_manager.filter(pk=obj.pk).first()
        out[f"{model._meta.label}#{obj.pk}"] = (
            None if fresh is None else json.dumps(model_to_dict(fresh), default=str)
        )
    return out


def _principals(b: Tenant) -> dict[str, Any]:
    return {
        "admin_b": b.admin,
        "lawyer_b": b.lawyer,
        "paralegal_b": b.paralegal,
        "api_key_b": b.api_key_raw,
        "client_b": b.portal_user,
    }


def run_probe(victim: Tenant, principals: dict[str, Any], api: Any) -> tuple[list[str], set[str], list[str]]:
    """Returns (failures, operations probed, victim rows changed)."""
    schema = _schema()
    components = schema.get("components", {}).get("schemas", {})
    related = _related_of(victim)
    failures: list[str] = []
    probed: set[str] = set()
    shared_models: set[str] = set()

    plans: list[tuple[str, str, str, dict[str, Any]]] = []
    for path, item in schema["paths"].items():
        params = PARAM.findall(path)
        view_cls, view_model = _view_for(path)
        lookup_kwarg = getattr(view_cls, "lookup_url_kwarg", None) or getattr(view_cls, "lookup_field", "pk")
        values: dict[str, Any] = {}
        skip = False
        for name in params:
            if name in UNMAPPABLE_PARAMS:
                skip = True
                continue
            model = view_model if name in ("id", "pk", lookup_kwarg) else _model_by_param(name)
            if model is None:
                failures.append(f"{path}: cannot map path parameter {{{name}}} to a model")
                skip = True
                continue
            if not _is_tenant_model(model):
                tenant_fks = [
                    f.name
                    for f in model._meta.concrete_fields
                    if f.is_relation
                    and f.related_model._meta.label in ("firm.Firm", "firm.Client", "cases.Case")
                ]
                if tenant_fks:
                    failures.append(f"{model._meta.label} points at {tenant_fks} but has no scope_firm_path")
                shared_models.add(model._meta.label)
                skip = True
                continue
            obj = _instance(model, related)
            field = getattr(view_cls, "lookup_field", "pk") if model is view_model else "pk"
            values[name] = getattr(obj, field)
        if skip:
            continue
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                url = PARAM.sub(lambda m, v=values: str(v[m.group(1)]), path)
                plans.append((path, method, url, operation))

    before = _snapshot(related)
    for path, method, url, operation in plans:
        has_params = bool(PARAM.search(path))
        for label, principal in principals.items():
            body, fmt = _body(operation, components, related)
            body_refs_victim = isinstance(body, dict) and any(
                isinstance(v, int) and not isinstance(v, bool) and _model_by_param(k) for k, v in body.items()
            )
            if not has_params and method != "get" and not body_refs_victim:
                continue  # nothing of the victim firm to reach through this operation
            kwargs: dict[str, Any] = {"data": body, "format": fmt} if body is not None else {}
            response = getattr(api(principal), method)(url, **kwargs)
            probed.add(f"{method.upper()} {path}")
            content = b"".join(response.streaming_content) if response.streaming else response.content
            if LEAK_MARKER.encode() in content:
                failures.append(f"{label} {method.upper()} {url} -> {response.status_code} leaks firm A data")
            if has_params and response.status_code not in ALLOWED:
                failures.append(
                    f"{label} {method.upper()} {url} -> {response.status_code}: {content[:160]!r}"
                )
            if not has_params and method != "get" and 200 <= response.status_code < 300:
                failures.append(
                    f"{label} {method.upper()} {url} with firm A ids in the body -> {response.status_code}"
                )
    after = _snapshot(related)
    changed = [k for k in before if before[k] != after.get(k)]
    return failures, probed, changed


def test_cross_tenant_probe_covers_every_endpoint(tenants: Tenants, api: Any) -> None:
    failures, probed, changed = run_probe(tenants.a, _principals(tenants.b), api)
    assert not changed, f"firm A rows changed or deleted by firm B: {changed}"
    assert not failures, "\n".join(failures)
    assert len(UNMAPPABLE_PARAMS) <= 3, "keep the list of unmappable path parameters small"
    for expected in (  # the probe really reached the detail endpoints of the core apps
        "GET /api/v1/clients/{id}/",
        "DELETE /api/v1/cases/{id}/",
        "POST /api/v1/cases/{id}/transition/",
        "GET /api/v1/documents/{id}/download/",
        "POST /api/v1/me/documents/{id}/upload/",
        "PATCH /api/v1/clients/{client_id}/work-experience/{id}/",
        "POST /api/v1/documents/",
    ):
        assert expected in probed, f"{expected} was not probed"


def test_probe_detects_access_when_the_caller_belongs_to_the_firm(tenants: Tenants, api: Any) -> None:
    """Sanity check of the probe itself: firm A's own lawyer and client *do* reach firm A's objects."""
    failures, _, _ = run_probe(tenants.a, {"client_a": tenants.a.portal_user}, api)
    assert any(f.startswith("client_a GET /api/v1/me/documents/") for f in failures)
    failures, _, _ = run_probe(tenants.a, {"lawyer_a": tenants.a.lawyer}, api)
    assert any("lawyer_a GET /api/v1/clients/" in f for f in failures)


def test_probe_maps_parameters_generically() -> None:
    from cases.models import Case, Document
    from firm.models import Client, LanguageTest

    assert _model_by_param("client_id") is Client
    assert _model_by_param("case_pk") is Case
    assert _model_by_param("document") is Document
    assert _model_by_param("language_test_id") is LanguageTest
    assert _view_for("/api/v1/clients/{client_id}/language-tests/{id}/")[1] is LanguageTest
