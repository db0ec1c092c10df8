"""Building blocks for every app's DRF views: who may call, scoped lookups and the file-upload parser.

Views stay thin: they resolve the actor (`firm.scoping.actor_for_request`), read through selectors
(always `restrict(actor)`), validate input with serializers and call services for every write.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, validate_email
from django.db import models
from django.db.models import Model, QuerySet
from django.http import Http404
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django_countries import fields as country_model_fields
from django_countries import serializer_fields as country_serializer_fields
from django_countries.serializers import CountryFieldMixin as _DjangoCountriesFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, parsers, permissions, serializers
from rest_framework.request import Request

from cases.uploads import clean_filename
from firm.scoping import Actor, actor_for_request
from firm.services import audit_record

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass
else:
    _PermissionClass = Any


class ActorPermission(permissions.BasePermission):
    """Authenticated, of an allowed kind, and allowed the operation by `firm.permissions`.

    A view declares `allowed_actor_kinds` (default: staff and API keys) and `permission_map` (DRF action
    or lower-case HTTP method -> permission name). An operation with no declared permission is refused,
    so a new action cannot be open by accident. Client (portal) views scope by `restrict()` instead.
    """

    message = "You do not have permission to do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_for_request(request)
        if actor.kind == "anonymous":
            return False
        if actor.kind not in getattr(view, "allowed_actor_kinds", frozenset({"staff", "api_key"})):
            return False
        if actor.kind == "client":
            return True
        mapping: dict[str, str] = getattr(view, "permission_map", {})
        action = getattr(view, "action", None)
        permission = mapping.get(action) if action else None
        if permission is None:
            permission = mapping.get(request.method.lower())
        return permission is not None and actor.can(permission)


class ActorViewMixin:
    """The actor, scoped object lookup and an audit row when someone asks for an object not theirs."""

    permission_classes: Sequence[_PermissionClass] = [ActorPermission]
    allowed_actor_kinds: ClassVar[frozenset[str]] = frozenset({"staff", "api_key"})
    permission_map: ClassVar[dict[str, str]] = {}

    @property
    def actor(self) -> Actor:
        return actor_for_request(self.request)  # type: ignore[attr-defined]  # the view's request

    def get_object(self) -> Any:
        try:
            return super().get_object()  # type: ignore[misc]
        except Http404:
            lookup = self.kwargs.get(getattr(self, "lookup_url_kwarg", None) or "pk")
            model = self.get_queryset().model  # type: ignore[attr-defined]
            audit_denied_lookup(actor=self.actor, model=model, object_id=lookup)
            raise


class PortalViewMixin(ActorViewMixin):
    """Endpoints for a logged-in client (session or token): their own objects, nothing else."""

    allowed_actor_kinds: ClassVar[frozenset[str]] = frozenset({"client"})
    permission_classes: Sequence[_PermissionClass] = [permissions.IsAuthenticated, ActorPermission]


def audit_denied_lookup(*, actor: Actor, model: type[Model], object_id: Any) -> None:
    """ASVS 16.3.2: record a lookup of an object that exists but is not the actor's (answered 404)."""

    if not str(object_id or "").isdigit() or len(str(object_id)) > 18 or actor.kind == "anonymous":
        return
    if model._default_manager.filter(pk=int(object_id)).exists():
        audit_record(
            actor=actor,
            action="access_denied",
            object_type=model._meta.label_lower,
            object_id=str(object_id),
        )


def scoped_get(queryset: QuerySet, *, actor: Actor, pk: Any) -> Any:
    """Fetch one object from an already-restricted queryset or answer 404 (auditing a foreign id)."""
    try:
        obj = queryset.filter(pk=int(pk)).first() if str(pk).lstrip("-").isdigit() else None
    except (TypeError, ValueError, OverflowError):
        obj = None
    if obj is None:
        audit_denied_lookup(actor=actor, model=queryset.model, object_id=pk)
        raise exceptions.NotFound()
    return obj


class _StrictNameMultiPartParser(DjangoMultiPartParser):
    """Django's parser strips directories from upload names; refuse such names instead (ASVS 5.3.2)."""

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean_filename(html.unescape(file_name))  # raises ApplicationError naming `file`
        return super().sanitize_file_name(file_name)


class UploadParser(parsers.MultiPartParser):
    """Multipart parser for document uploads: a path-traversal or control-character name is a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        parser_context = parser_context or {}
        request = parser_context["request"]
        encoding = parser_context.get("encoding", "utf-8")
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = _StrictNameMultiPartParser(meta, stream, request.upload_handlers, encoding)
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise exceptions.ParseError(f"Multipart form parse error - {exc}") from exc
        return parsers.DataAndFiles(data, files)


class EmptySerializer(serializers.Serializer):
    """An action that takes no input."""


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@extend_schema_field({"type": "integer", "format": "int64", "minimum": INT64_MIN, "maximum": INT64_MAX})
class IdFilter(django_filters.NumberFilter):
    """Filter on an object id: a whole number within the database's range, or a 400 (a plain
    NumberFilter accepts 1e308 and the database driver overflows: a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", INT64_MIN)
        kwargs.setdefault("max_value", INT64_MAX)
        super().__init__(*args, **kwargs)


class BlankableEmailField(serializers.CharField):
    """An email that may be empty (blank model EmailField): validated as an email when given, and
    documented without `format: email`, which "" would violate."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if not isinstance(v, EmailValidator)]
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise serializers.ValidationError("Enter a valid email address.") from None
        return value


class ModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose schema matches what blank model fields really return."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.EmailField: BlankableEmailField,
    }


# --- Country fields that cost little in lists ----------------------------------------------------------------

_LAZY_CHOICE_ATTRS = frozenset({"grouped_choices", "_choices", "choice_strings_to_values"})
_MISSING = object()


def _stored_value(field: serializers.Field, instance: Any) -> Any:
    """The model attribute as loaded from the database (a code, or a list of codes for `multiple`),
    without the `Country` objects that django-countries' descriptor builds on every access;
    `_MISSING` when it is not a plain loaded attribute of a model instance."""
    if len(field.source_attrs) != 1 or not isinstance(instance, Model):
        return _MISSING
    value = instance.__dict__.get(field.source_attrs[0], _MISSING)
    return _MISSING if value is None else value


class CountryField(country_serializer_fields.CountryField):
    """django-countries' serializer field, with the same output, input and schema, cheaper per response:

    - its ~250 translated, sorted choices are built when something needs them (input validation, the
      schema, the browsable API), not each time a serializer is created (every request);
    - the value is read as stored (a code) instead of through a `Country` object; the output is
      `countries.alpha2()` of it either way.
    """

    def _set_choices(self, choices: Any) -> None:
        for name in _LAZY_CHOICE_ATTRS:
            self.__dict__.pop(name, None)
        self.__dict__["_pending_choices"] = choices

    choices = property(serializers.ChoiceField._get_choices, _set_choices)

    def __getattr__(self, name: str) -> Any:
        if name in _LAZY_CHOICE_ATTRS and "_pending_choices" in self.__dict__:
            serializers.ChoiceField._set_choices(self, self.__dict__.pop("_pending_choices"))
            return self.__dict__[name]
        raise AttributeError(name)

    def get_attribute(self, instance: Any) -> Any:
        value = _stored_value(self, instance)
        return super().get_attribute(instance) if value is _MISSING else value


class CountryListField(serializers.ListField):
    """A `multiple=True` country field: the stored list of codes, each rendered by the child field."""

    def get_attribute(self, instance: Any) -> Any:
        value = _stored_value(self, instance)
        return super().get_attribute(instance) if value is _MISSING else value


# django-countries' `CountryFieldMixin` (same fields and options), building the fields above. No docstring:
# drf-spectacular describes a serializer without one by the first docstring in its bases.
class CountryFieldMixin(_DjangoCountriesFieldMixin):
    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict[str, Any]]:
        if not isinstance(model_field, country_model_fields.CountryField):
            return super().build_standard_field(field_name, model_field)
        # The model serializer's own mapping, skipping django-countries' (which builds the choices now).
        field_class, field_kwargs = super(_DjangoCountriesFieldMixin, self).build_standard_field(
            field_name, model_field
        )
        if field_class is not serializers.ChoiceField:
            return field_class, field_kwargs
        extra = getattr(getattr(self, "Meta", None), "extra_kwargs", {}).get(field_name, {})
        options = {k: extra[k] for k in self._country_field_options if k in extra}
        field_kwargs["countries"] = model_field.countries
        del field_kwargs["choices"]
        if not model_field.multiple:
            return CountryField, {**field_kwargs, **options}
        child = CountryField(**{**field_kwargs, **options})
        list_kwargs: dict[str, Any] = {"child": child}
        if "max_length" in serializers.ListField.default_error_messages:
            list_kwargs["max_length"] = len(child.countries)
        return CountryListField, list_kwargs
