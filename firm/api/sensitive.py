"""A serializer field for sensitive identifiers: validated against the identifier's format on input,
masked in list responses (`••••••7028`), shown whole only on a single object's read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from firm.identifiers import identifier_rules, mask, normalize


class SensitiveIdentifierField(serializers.CharField):
    def __init__(self, kind: str, **kwargs: Any) -> None:
        self.identifier_kind = kind
        rule = identifier_rules()[kind]
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("help_text", f"{rule['label']}: {rule['help']} Sensitive: masked in lists.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            return normalize(self.identifier_kind, value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value: Any) -> str:
        view = self.context.get("view")
        if getattr(view, "action", None) == "list" or self.context.get("mask_identifiers"):
            return mask(str(value or ""))
        return str(value or "")
