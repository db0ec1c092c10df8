"""The questionnaire's sections: what each holds and how it is checked.

Every value is checked by the intake's serializers (`cases.intake`), so the portal refuses exactly what
the intake refuses, with the field named. A section is a dict of client fields plus tables of rows; a row
may carry the `id` of the stored row it stands for (prefilled from the file).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from cases.intake import (
    IntakeContactSerializer,
    IntakeEducationSerializer,
    IntakeIdentitySerializer,
    IntakeJobOfferSerializer,
    IntakeLanguageTestSerializer,
    IntakeNominationSerializer,
    IntakeSerializer,
    IntakeWorkSerializer,
)
from firm.api.base import ModelSerializer
from firm.errors import ApplicationError
from firm.models import Client
from firm.people import FamilyMember, ResidencePeriod, StatusDocument

MAX_ROWS = 30


_ROW_EXCLUDE = ("id", "client", "created_at", "updated_at")  # the intake's, with `person` kept


class LanguageRow(IntakeLanguageTestSerializer):
    class Meta(IntakeLanguageTestSerializer.Meta):
        exclude = _ROW_EXCLUDE


class EducationRow(IntakeEducationSerializer):
    class Meta(IntakeEducationSerializer.Meta):
        exclude = _ROW_EXCLUDE


class WorkRow(IntakeWorkSerializer):
    class Meta(IntakeWorkSerializer.Meta):
        exclude = _ROW_EXCLUDE


class ChildRow(CountryFieldMixin, ModelSerializer):
    class Meta:
        model = FamilyMember
        fields = ("first_name", "last_name", "date_of_birth", "citizenship", "accompanying")
        extra_kwargs: ClassVar[dict[str, dict[str, Any]]] = {
            "first_name": {"label": _("first name")},
            "last_name": {"label": _("last name")},
            "date_of_birth": {"label": _("date of birth"), "required": True, "allow_null": False},
            "citizenship": {"label": _("Citizenship")},
            "accompanying": {"label": _("Comes to Canada with you")},
        }


class ResidenceRow(CountryFieldMixin, ModelSerializer):
    address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", label=_("Address")
    )

    class Meta:
        model = ResidencePeriod
        fields = ("country", "start_date", "end_date", "address")
        extra_kwargs: ClassVar[dict[str, dict[str, Any]]] = {
            "country": {"label": _("Country")},
            "start_date": {"label": _("From")},
            "end_date": {"label": _("Until (empty: still there)")},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "The end date is before the start date."})
        return attrs


class PassportRow(ModelSerializer):
    class Meta:
        model = StatusDocument
        fields = ("number", "issued_on", "expires_on")
        extra_kwargs: ClassVar[dict[str, dict[str, Any]]] = {
            "number": {"label": _("Passport number")},
            "issued_on": {"label": _("Issued on")},
            "expires_on": {"label": _("Expires on")},
        }


def _intake_field(name: str) -> serializers.Field:
    """The intake's own field (same checks), labelled with the client model's translated name."""
    f = copy.deepcopy(IntakeSerializer._declared_fields[name])
    f.label = Client._meta.get_field(name).verbose_name
    return f


def _client_label(name: str) -> Any:
    return Client._meta.get_field(name).verbose_name


class IdentityFields(IntakeIdentitySerializer):
    phone = copy.deepcopy(IntakeContactSerializer().fields["phone"])

    class Meta(IntakeIdentitySerializer.Meta):
        fields = (*IntakeIdentitySerializer.Meta.fields, "phone")


class FamilyFields(serializers.Serializer):
    marital_status = _intake_field("marital_status")
    spouse_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", label=_client_label("spouse_name")
    )
    spouse_accompanying = serializers.BooleanField(default=False, label=_client_label("spouse_accompanying"))
    spouse_canadian = serializers.BooleanField(default=False, label=_client_label("spouse_canadian"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["marital_status"] not in ("married", "common_law"):
            attrs.update(spouse_name="", spouse_accompanying=False, spouse_canadian=False)
        return attrs


class FundsFields(serializers.Serializer):
    settlement_funds_cad = _intake_field("settlement_funds_cad")
    family_size = _intake_field("family_size")


@dataclass(frozen=True)
class Table:
    name: str
    row: type[serializers.Serializer]
    fact_kind: str = ""  # firm.services.FACT_MODELS key, when the row is a client fact
    max_rows: int = MAX_ROWS
    proof: str = ""  # cases DocumentKind a row's proof becomes


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    fields: type[serializers.Serializer] | None = None
    tables: tuple[Table, ...] = field(default_factory=tuple)


SECTIONS: tuple[Section, ...] = (
    Section(
        "identity",
        _("Identity and passport"),
        IdentityFields,
        (Table("passport", PassportRow, max_rows=1, proof="passport"),),
    ),
    Section("family", _("Family"), FamilyFields, (Table("children", ChildRow, max_rows=15),)),
    Section(
        "residence", _("Addresses and countries of residence"), None, (Table("residences", ResidenceRow),)
    ),
    Section(
        "language",
        _("Language tests"),
        None,
        (Table("language_tests", LanguageRow, "language_test", 10, "language_test"),),
    ),
    Section("education", _("Education"), None, (Table("educations", EducationRow, "education", 10, "eca"),)),
    Section(
        "work", _("Work history"), None, (Table("work", WorkRow, "work_experience", 30, "reference_letter"),)
    ),
    Section(
        "job_offer",
        _("Job offer"),
        None,
        (Table("job_offers", IntakeJobOfferSerializer, "job_offer", 3, "job_offer"),),
    ),
    Section(
        "nomination",
        _("Provincial nomination"),
        None,
        (Table("nominations", IntakeNominationSerializer, "nomination", 3, "nomination"),),
    ),
    Section("funds", _("Settlement funds"), FundsFields),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
TABLES = {t.name: (s, t) for s in SECTIONS for t in s.tables}


class SectionError(ApplicationError):
    """A section's values were refused: `errors` maps a field path (`work[1].end_date`) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Invalid answers.", fields=errors)
        self.errors = errors


def _flatten(detail: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = prefix if key == "non_field_errors" else (f"{prefix}.{key}" if prefix else str(key))
            _flatten(value, name, out)
    elif isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        out[prefix or "non_field_errors"] = " ".join(str(d) for d in detail)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if value:
                _flatten(value, f"{prefix}[{i}]", out)
    else:
        out[prefix or "non_field_errors"] = str(detail)


def to_json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _check(serializer: serializers.Serializer, prefix: str) -> dict[str, Any]:
    if not serializer.is_valid():
        errors: dict[str, str] = {}
        _flatten(serializer.errors, prefix, errors)
        raise SectionError(errors)
    return dict(serializer.validated_data)


def clean_row(table: Table, row: Any, prefix: str) -> dict[str, Any]:
    """One row checked by its serializer; the row's `id` (a stored row) is kept as given."""
    if not isinstance(row, dict):
        raise SectionError({prefix: "Expected an object."})
    payload = {k: v for k, v in row.items() if k != "id"}
    out = _check(table.row(data=payload), prefix)
    if row.get("id") is not None:
        if not isinstance(row["id"], int) or isinstance(row["id"], bool):
            raise SectionError({f"{prefix}.id": "Expected the id of a stored row."})
        out["id"] = row["id"]
    return out


def clean_section(key: str, payload: Any, *, stored_ids: dict[str, set[int]]) -> dict[str, Any]:
    """A section's answers checked in full (typed values), or SectionError naming every bad field."""
    section = SECTION_BY_KEY.get(key)
    if section is None:
        raise SectionError({"section": f"Unknown section {key!r}."})
    if not isinstance(payload, dict):
        raise SectionError({key: "Expected an object."})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if section.fields is not None:
        values = {k: v for k, v in payload.items() if k not in {t.name for t in section.tables}}
        try:
            out.update(_check(section.fields(data=values), ""))
        except SectionError as exc:
            errors.update(exc.errors)
    for table in section.tables:
        rows = payload.get(table.name) or []
        if not isinstance(rows, list):
            errors[table.name] = "Expected a list."
            continue
        if len(rows) > table.max_rows:
            errors[table.name] = f"At most {table.max_rows} rows."
            continue
        cleaned = []
        for i, row in enumerate(rows):
            try:
                item = clean_row(table, row, f"{table.name}[{i}]")
            except SectionError as exc:
                errors.update(exc.errors)
                continue
            if "id" in item and item["id"] not in stored_ids.get(table.name, set()):
                errors[f"{table.name}[{i}].id"] = "Not a stored row of this client."
            cleaned.append(item)
        out[table.name] = cleaned
    if errors:
        raise SectionError(errors)
    return out


def typed_section(key: str, stored: dict[str, Any]) -> dict[str, Any]:
    """A saved (JSON) section back as typed values, through the same serializers."""
    return clean_section(
        key, stored, stored_ids={t.name: _ids(stored.get(t.name)) for t in SECTION_BY_KEY[key].tables}
    )


def _ids(rows: Any) -> set[int]:
    return {r["id"] for r in rows or [] if isinstance(r, dict) and isinstance(r.get("id"), int)}
