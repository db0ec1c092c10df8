"""Global guards of the REST API against input that used to reach a 500:

- `SafeJSONParser`: a JSON body nested deeper than `JSON_MAX_DEPTH` (a RecursionError before), holding
  NUL characters (PostgreSQL text and jsonb cannot store them) or more than `JSON_MAX_ITEMS` values is a
  400 naming the path (`language_tests[0].registration_number`). The body size is capped earlier, by
  `firm.request_guards.RequestGuardMiddleware` (413).
- `SafeFilterBackend`: django-filter, with every date-time filter value moved to UTC (PostgreSQL refuses
  offsets beyond ±15:59, which Python accepts) and a value that cannot be moved (out of range) a 400
  naming the parameter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, parsers

from firm.validators import JsonShapeError, check_json

MAX_UTC_OFFSET = dt.timedelta(
    hours=14
)  # the widest offset in use (Kiribati); PostgreSQL refuses beyond 15:59


class SafeJSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None
        try:
            check_json(
                data,
                max_depth=getattr(settings, "JSON_MAX_DEPTH", 32),
                max_items=getattr(settings, "JSON_MAX_ITEMS", 10_000),
            )
        except JsonShapeError as exc:
            raise exceptions.ValidationError({exc.path: [exc.message]}) from None
        return data


class SafeFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise filter_utils.translate_validation(filterset.errors)
        errors: dict[str, list[str]] = {}
        cleaned = filterset.form.cleaned_data
        for name, value in list(cleaned.items()):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                offset = value.utcoffset() or dt.timedelta(0)
                if abs(offset) > MAX_UTC_OFFSET:
                    errors[name] = ["The UTC offset must be between -14:00 and +14:00."]
                    continue
                try:
                    cleaned[name] = value.astimezone(dt.UTC)
                except (OverflowError, ValueError):
                    errors[name] = ["This date and time is out of range."]
        if errors:
            raise exceptions.ValidationError(errors)
        return filterset.qs


class LanguageScoresMixin:
    """For language-test serializers (API and intake): scores on the test's scale, named per ability.
    The same rule as the model's `clean()` (firm.validators.language_score_errors), earlier and with the
    payload path."""

    instance: Any

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from firm.validators import language_score_errors

        attrs = super().validate(attrs)  # type: ignore[misc]

        def get(name: str) -> Any:
            return attrs.get(name, getattr(self.instance, name, None))

        if get("test"):
            errors = language_score_errors(
                test=get("test"),
                scores={a: get(a) for a in ("listening", "reading", "writing", "speaking")},
                test_date=get("test_date"),
            )
            if errors:
                raise exceptions.ValidationError(errors)
        return attrs
