"""The portal's section forms, drawn from the same serializers that check the answers.

Each serializer field becomes one input (its label is the model field's translated name); a POST is
read back into the JSON the service checks, so the page and the API refuse the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.text import capfirst
from rest_framework import serializers

DATE_NAMES = ("date", "_on", "expires")


@dataclass
class Input:
    name: str
    label: str
    kind: str  # text | number | date | checkbox | select | multiselect
    value: Any = ""
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    help: str = ""
    step: str = ""

    @property
    def values(self) -> list[str]:
        return [str(v) for v in (self.value or [])] if self.kind == "multiselect" else []


def _kind(f: serializers.Field) -> str:
    if isinstance(f, serializers.BooleanField):
        return "checkbox"
    if isinstance(f, (serializers.MultipleChoiceField, serializers.ListField)):
        return "multiselect"
    if isinstance(f, serializers.ChoiceField):
        return "select"
    if isinstance(f, serializers.DateField):
        return "date"
    if isinstance(f, (serializers.DecimalField, serializers.IntegerField, serializers.FloatField)):
        return "number"
    return "text"


def _choices(f: serializers.Field) -> list[tuple[str, str]]:
    child = getattr(f, "child", None)
    source = f if hasattr(f, "choices") else child
    choices = getattr(source, "choices", None) or {}
    return [(str(k), str(v)) for k, v in choices.items()]


def inputs(
    serializer_cls: type[serializers.Serializer],
    values: dict[str, Any],
    errors: dict[str, str],
    prefix: str = "",
) -> list[Input]:
    out = []
    for name, f in serializer_cls().fields.items():
        if f.read_only:
            continue
        kind = _kind(f)
        value = values.get(name, f.initial if f.initial is not serializers.empty else "")
        if kind == "checkbox" and name not in values:
            value = bool(f.default) if f.default is not serializers.empty else False
        step = "0.5" if isinstance(f, serializers.DecimalField) else ("1" if kind == "number" else "")
        out.append(
            Input(
                name=name,
                label=capfirst(str(f.label or name.replace("_", " "))),
                kind=kind,
                value=value,
                required=f.required,
                choices=_choices(f) if kind in ("select", "multiselect") else [],
                error=errors.get(f"{prefix}{name}", ""),
                help=str(f.help_text or ""),
                step=step,
            )
        )
    return out


def read_post(serializer_cls: type[serializers.Serializer], post: QueryDict) -> dict[str, Any]:
    """A POST of the inputs above as the JSON the service checks (empty optional values as null)."""
    out: dict[str, Any] = {}
    for name, f in serializer_cls().fields.items():
        if f.read_only:
            continue
        kind = _kind(f)
        if kind == "checkbox":
            out[name] = post.get(name) in ("on", "true", "1")
        elif kind == "multiselect":
            out[name] = [v for v in post.getlist(name) if v]
        else:
            raw = post.get(name, "").strip()
            if raw == "" and getattr(f, "allow_null", False):
                out[name] = None
            elif raw == "" and not f.required:
                continue
            else:
                out[name] = raw
    return out
