"""/clients/{id}/pathways: which pathways fit a client (not stored)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from firm.api.base import ActorViewMixin, scoped_get
from firm.models import Client
from pathways import selectors
from pathways.api.serializers import CLIENT_ID_PARAM, PathwayFitSerializer, fit_row
from pathways.case_facts import DATE_MAX, DATE_MIN
from pathways.models import Outcome
from pathways.rules.registry import ASSESSORS


class ClientPathwaysView(ActorViewMixin, APIView):
    """Which pathways fit the client: every assessor run on the client's facts (with the facts of their
    open cases), ranked eligible first, then fewest unmet, then fewest unknown criteria. Not stored."""

    queryset = Client.objects.none()
    permission_map: ClassVar[dict[str, str]] = {"get": "client.view"}

    @extend_schema(
        operation_id="clients_pathways_retrieve",
        tags=["assessments"],
        parameters=[
            CLIENT_ID_PARAM,
            OpenApiParameter(
                "as_of", OpenApiTypes.DATE, description="Assess as of this date (default today)."
            ),
            OpenApiParameter("outcome", OpenApiTypes.STR, enum=Outcome.values),
            OpenApiParameter("pathway", OpenApiTypes.STR, enum=sorted(ASSESSORS)),
        ],
        responses={200: PathwayFitSerializer},
    )
    def get(self, request: Request, client_id: str) -> Response:
        client = scoped_get(Client.objects.restrict(self.actor), actor=self.actor, pk=client_id)
        as_of = None
        raw = request.query_params.get("as_of")
        if raw:
            try:
                as_of = date.fromisoformat(raw)
            except ValueError:
                raise exceptions.ValidationError({"as_of": "Must be a date (YYYY-MM-DD)."}) from None
            if not DATE_MIN <= as_of <= DATE_MAX:
                raise exceptions.ValidationError(
                    {"as_of": f"Must be between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."}
                )
        outcome, pathway = request.query_params.get("outcome"), request.query_params.get("pathway")
        if outcome and outcome not in Outcome.values:
            raise exceptions.ValidationError({"outcome": f"Must be one of {', '.join(Outcome.values)}."})
        if pathway and pathway not in ASSESSORS:
            raise exceptions.ValidationError({"pathway": f"Must be one of {', '.join(sorted(ASSESSORS))}."})
        fit = selectors.pathways_fit(self.actor, client, as_of=as_of)
        rows = [
            fit_row(r)
            for r in fit.results
            if (not outcome or r.assessment.outcome == outcome)
            and (not pathway or r.assessment.pathway == pathway)
        ]
        body = {
            "client": fit.client_id,
            "as_of": fit.as_of,
            "crs_score": fit.crs_score,
            "case_errors": {str(k): v for k, v in fit.case_errors.items()},
            "count": len(rows),
            "results": rows,
        }
        return Response(PathwayFitSerializer(body).data)
