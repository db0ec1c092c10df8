"""Serializers of pathway results: criteria, checklists, key dates, fees, assessments and fits."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from pathways.case_facts import to_jsonable
from pathways.models import Outcome, PathwayAssessment
from pathways.selectors import FitResult

STATUSES = [("met", "met"), ("unmet", "unmet"), ("unknown", "unknown")]
VERIFICATIONS = [(v, v) for v in ("official", "two_sources", "one_source", "unverified")]
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})

# --- Serializers --------------------------------------------------------------------------------------------


class CriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    reason = serializers.CharField()
    source = serializers.CharField(help_text="Where the rule comes from (reference section, page).")
    rule_version = serializers.CharField(help_text="dataset:version of the rule data used.")
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class ChecklistItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class KeyDateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text="Null when the event date is not recorded.")
    basis = serializers.CharField()
    source = serializers.CharField(allow_blank=True)
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class FeeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    amount_cad = serializers.FloatField(allow_null=True)
    payer = serializers.CharField()
    source = serializers.CharField()
    verification = serializers.ChoiceField(choices=VERIFICATIONS)


class _ResultFields(serializers.Serializer):
    criteria = CriterionSerializer(many=True)
    checklist = ChecklistItemSerializer(many=True)
    key_dates = KeyDateSerializer(many=True)
    notices = serializers.ListField(child=serializers.CharField())
    fees = FeeSerializer(many=True)
    rule_versions = serializers.DictField(child=serializers.CharField(), help_text="Dataset -> version used.")


class AssessmentSerializer(_ResultFields, serializers.ModelSerializer):
    context = serializers.JSONField(
        help_text="Express Entry: current CRS score and recent relevant cut-offs."
    )
    inputs = serializers.JSONField(help_text="The client and case facts the assessment was made from.")

    class Meta:
        model = PathwayAssessment
        fields = [
            "id",
            "case",
            "client",
            "pathway",
            "stream",
            "outcome",
            "unmet_count",
            "unknown_count",
            "criteria",
            "checklist",
            "key_dates",
            "notices",
            "fees",
            "rule_versions",
            "context",
            "inputs",
            "inputs_hash",
            "as_of",
            "created_at",
            "is_current",
        ]
        read_only_fields = fields


class MyAssessmentSerializer(AssessmentSerializer):
    """The portal's view: the result without the stored inputs."""

    class Meta(AssessmentSerializer.Meta):
        fields = [f for f in AssessmentSerializer.Meta.fields if f not in ("inputs", "inputs_hash")]
        read_only_fields = fields


class FitSerializer(_ResultFields):
    pathway = serializers.CharField()
    stream = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    unmet_count = serializers.IntegerField()
    unknown_count = serializers.IntegerField()
    case = serializers.IntegerField(allow_null=True, help_text="The open case whose facts were used, if any.")


class PathwayFitSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    as_of = serializers.DateField()
    crs_score = serializers.IntegerField(allow_null=True)
    case_errors = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Open cases left out because their facts JSON is invalid: case id -> field path -> message.",
    )
    count = serializers.IntegerField()
    results = FitSerializer(many=True)


def fit_row(fit: FitResult) -> dict[str, Any]:
    a = fit.assessment
    return {
        "pathway": a.pathway,
        "stream": a.stream,
        "outcome": a.outcome,
        "unmet_count": len(a.unmet),
        "unknown_count": len(a.unknown),
        "case": fit.case_id,
        "criteria": to_jsonable(a.criteria),
        "checklist": to_jsonable(a.checklist),
        "key_dates": to_jsonable(a.key_dates),
        "notices": list(a.notices),
        "fees": to_jsonable(a.fees),
        "rule_versions": dict(a.rule_versions),
    }


HISTORY_PARAM = OpenApiParameter(
    "history", OpenApiTypes.BOOL, description="Also the earlier (no longer current) assessments."
)
CASE_ID_PARAM = OpenApiParameter("case_id", OpenApiTypes.INT, OpenApiParameter.PATH)
CLIENT_ID_PARAM = OpenApiParameter("client_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ORDERING = ["created_at", "as_of", "outcome", "unmet_count", "pathway", "stream"]
