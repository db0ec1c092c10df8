"""Forms of the integrations pages (labels translated; JSON fields validated by the services)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from firm.events import EVENT_TYPES
from integrations.models import Provider


class JSONTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8, "class": "mono", "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        text = (super().to_python(value) or "").strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(data, dict):
            raise forms.ValidationError(_('Write a JSON object: {"intake field": "question reference"}.'))
        return data


class IntakeSourceCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    provider = forms.ChoiceField(label=_("Provider"), choices=Provider.choices)


class IntakeSourceMappingForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    is_active = forms.BooleanField(label=_("Active"), required=False)
    mapping = JSONTextField(
        label=_("Mapping"),
        required=False,
        help_text=_("A JSON object: intake field → the provider's question reference (see the list below)."),
    )
    value_map = JSONTextField(
        label=_("Answer translations"),
        required=False,
        help_text=_(
            'Optional. Per intake field, answer text → our value, e.g. {"marital_status": {"Mariée": "married"}}.'
        ),
    )
    defaults = JSONTextField(
        label=_("Fixed values"),
        required=False,
        help_text=_(
            'Optional. Intake fields with the same value for every submission, e.g. {"pathway": "express_entry"}.'
        ),
    )


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(key, label) for key, label in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
