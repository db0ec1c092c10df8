"""Serializer fields shared by every app's API: ids looked up only among the caller's objects."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from firm.models import (
    User,
)
from firm.scoping import actor_for_request

# --- Shared serializer fields -------------------------------------------------------------------------------


class FirmStaffField(serializers.PrimaryKeyRelatedField):
    """A user id that must be an active staff member of the caller's firm (no cross-firm lookups)."""

    def get_queryset(self) -> QuerySet[User]:
        actor = actor_for_request(self.context["request"])
        return User.objects.filter(membership__firm_id=actor.firm_id, membership__is_active=True)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A foreign key in a request body, looked up only among the caller's objects (ids of another firm
    are "does not exist", exactly like ids that do not exist at all)."""

    def __init__(self, model: type, **kwargs: Any) -> None:
        self.scoped_model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scoped_model.objects.restrict(actor_for_request(self.context["request"]))


def absolute(request: Request | None, name: str, **kwargs: Any) -> str:
    url = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(url) if request is not None else url
