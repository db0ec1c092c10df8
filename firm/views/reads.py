"""Scoped reads the pages need that the apps' selectors do not provide (yet).

Every query goes through `restrict(actor)`; the pages call these and the apps' selectors only.
Parts built by other apps (scores, draws, assessments) are imported lazily so that a page renders
("No score yet") while a part is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from firm.errors import NotFoundError
from firm.models import Client, Education, Firm, JobOffer, LanguageTest, ProvincialNomination, WorkExperience
from firm.scoping import Actor


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def firm_get(*, actor: Actor) -> Firm:
    firm = Firm.objects.restrict(actor).first()
    if firm is None:
        raise NotFoundError()
    return firm


FACT_MODELS = {
    "language_test": LanguageTest,
    "education": Education,
    "work_experience": WorkExperience,
    "job_offer": JobOffer,
    "nomination": ProvincialNomination,
}


def client_facts(*, actor: Actor, client: Client) -> dict[str, QuerySet]:
    return {kind: model.objects.restrict(actor).filter(client=client) for kind, model in FACT_MODELS.items()}


def client_fact_get(*, actor: Actor, client: Client, kind: str, fact_id: int) -> Any:
    model = FACT_MODELS.get(kind)
    if model is None:
        raise NotFoundError()
    fact = model.objects.restrict(actor).filter(client=client, pk=fact_id).first()
    if fact is None:
        raise NotFoundError()
    return fact


# --- Scores -------------------------------------------------------------------------------------------


def _score_model() -> Any:
    return _optional("scoring.models", "CRSScore")


def score_current(*, actor: Actor, client: Client) -> Any:
    selector = _optional("scoring.selectors.scores", "score_current")
    if selector is not None:
        return selector(actor, client)
    model = _score_model()
    if model is None:
        return None
    return model.objects.restrict(actor).filter(client=client, is_current=True).first()


def score_history(*, actor: Actor, client: Client) -> list[Any]:
    """Oldest first (for the chart)."""
    selector = _optional("scoring.selectors.scores", "score_history")
    if selector is not None:
        rows = list(selector(actor, client))
    else:
        model = _score_model()
        rows = list(model.objects.restrict(actor).filter(client=client)) if model is not None else []
    return sorted(rows, key=lambda s: (s.as_of, s.computed_at, s.pk))


def score_missing_facts(*, actor: Actor, client: Client) -> list[str]:
    selector = _optional("scoring.selectors.scores", "score_missing_facts")
    return list(selector(actor, client)) if selector is not None else []


def scores_current(*, actor: Actor, client_ids: list[int] | None = None, limit: int = 25) -> list[Any]:
    selector = _optional("scoring.selectors.scores", "scores_for_firm")
    if selector is not None:
        qs = selector(actor)
    else:
        model = _score_model()
        if model is None:
            return []
        qs = model.objects.restrict(actor).filter(is_current=True).select_related("client").order_by("-total")
    if client_ids is not None:
        qs = qs.filter(client_id__in=client_ids)
    return list(qs[:limit])


def eligibility_list(*, actor: Actor, client: Client) -> list[Any]:
    selector = _optional("scoring.selectors.scores", "eligibility_for_client")
    if selector is not None:
        return list(selector(actor, client))
    model = _optional("scoring.models", "Eligibility")
    if model is None:
        return []
    return list(model.objects.restrict(actor).filter(client=client).order_by("program", "version"))


def whatif_for(score: Any, *, limit: int = 8) -> list[dict[str, Any]]:
    """What would raise this stored score: the what-if engine run on the score's own inputs."""
    if score is None or not getattr(score, "profile", None):
        return []
    selector = _optional("scoring.selectors.scores", "whatif_for_score")
    if selector is not None:
        try:
            return list(selector(score))[:limit]
        except (KeyError, ValueError, TypeError):  # a row scored under a rule set no longer shipped
            return []
    whatif = _optional("scoring.crs.whatif", "whatif")
    if whatif is None:
        return []
    result = whatif(score.profile, today=score.as_of)
    if "error" in result:
        return []
    return [i for i in result["improvements"] if i["delta"] > 0][:limit]


# The breakdown is flat ("age": 110, "first_language.reading": 32, "transferability.total": 50 ...);
# grouped by section here for display. Totals and uncapped sums are not rows.
SECTION_ORDER = ("core", "spouse", "transferability", "additional")
_ABILITY = {
    "listening": gettext_lazy("listening"),
    "reading": gettext_lazy("reading"),
    "writing": gettext_lazy("writing"),
    "speaking": gettext_lazy("speaking"),
}
BREAKDOWN_LABELS: dict[str, Any] = {
    "age": gettext_lazy("Age"),
    "education": gettext_lazy("Level of education"),
    "canadian_work": gettext_lazy("Canadian work experience"),
    "spouse.education": gettext_lazy("Spouse: level of education"),
    "spouse.canadian_work": gettext_lazy("Spouse: Canadian work experience"),
    "transferability.education_language": gettext_lazy("Education and language"),
    "transferability.education_canadian_work": gettext_lazy("Education and Canadian work"),
    "transferability.education": gettext_lazy("Education subtotal (capped)"),
    "transferability.foreign_work_language": gettext_lazy("Foreign work and language"),
    "transferability.foreign_work_canadian_work": gettext_lazy("Foreign work and Canadian work"),
    "transferability.foreign_work": gettext_lazy("Foreign work subtotal (capped)"),
    "transferability.certificate_language": gettext_lazy("Certificate of qualification and language"),
    "additional.nomination": gettext_lazy("Provincial nomination"),
    "additional.job_offer": gettext_lazy("Arranged employment"),
    "additional.canadian_education": gettext_lazy("Canadian education"),
    "additional.french": gettext_lazy("French-language skills"),
    "additional.sibling": gettext_lazy("Brother or sister in Canada"),
}
_LANGUAGE_PREFIX = {
    "first_language": gettext_lazy("First official language"),
    "second_language": gettext_lazy("Second official language"),
    "spouse.first_language": gettext_lazy("Spouse: first official language"),
}


def breakdown_label(key: str) -> str:
    if key in BREAKDOWN_LABELS:
        return str(BREAKDOWN_LABELS[key])
    prefix, _dot, ability = key.rpartition(".")
    if prefix in _LANGUAGE_PREFIX and ability in _ABILITY:
        return f"{_LANGUAGE_PREFIX[prefix]}: {_ABILITY[ability]}"
    return key.rpartition(".")[2].replace("_", " ").capitalize()


def _section_of(key: str) -> str:
    head = key.split(".", 1)[0]
    return head if head in ("spouse", "transferability", "additional") else "core"


@dataclass
class BreakdownSection:
    key: str
    total: int
    items: list[tuple[str, int]] = field(default_factory=list)


def breakdown_sections(score: Any) -> list[BreakdownSection]:
    if score is None:
        return []
    sections = {key: BreakdownSection(key, int(getattr(score, key, 0) or 0)) for key in SECTION_ORDER}
    for name, value in (score.breakdown or {}).items():
        key = str(name)
        last = key.rpartition(".")[2]
        if last in ("total", "uncapped") or last.endswith("_uncapped") or not isinstance(value, int | float):
            continue
        sections[_section_of(key)].items.append((breakdown_label(key), int(value)))
    return [s for s in sections.values() if s.items or s.total]


# --- Draws and alerts ---------------------------------------------------------------------------------


def draws_recent(*, actor: Actor, limit: int = 6) -> list[Any]:
    """Express Entry rounds are public data, the same for every firm (staff only)."""
    draw = _optional("scoring.models", "Draw")
    if draw is None:
        return []
    return list(draw.objects.restrict(actor).order_by("-draw_date", "-draw_number")[:limit])


def draw_matches(*, actor: Actor, draw: Any, mine_only_user: int | None = None) -> list[Any]:
    if draw is None:
        return []
    selector = _optional("scoring.selectors.draws", "draw_matches_for_draw")
    if selector is not None:
        qs = selector(actor, draw)
        if mine_only_user:
            qs = qs.filter(client__assigned_lawyer_id=mine_only_user)
        return list(qs)
    match = _optional("scoring.models", "DrawMatch")
    if match is None:
        return []
    qs = match.objects.restrict(actor).filter(draw=draw, status="active").select_related("client")
    if mine_only_user:
        qs = qs.filter(client__assigned_lawyer_id=mine_only_user)
    return list(qs.order_by("-score", "client__last_name"))


def client_draw_matches(*, actor: Actor, client: Client) -> list[Any]:
    selector = _optional("scoring.selectors.draws", "draw_matches_for_client")
    if selector is not None:
        return list(selector(actor, client))
    match = _optional("scoring.models", "DrawMatch")
    if match is None:
        return []
    return list(
        match.objects.restrict(actor)
        .filter(client=client, status="active")
        .select_related("draw")
        .order_by("-draw__draw_date")
    )


def notifications_stuck(*, actor: Actor, limit: int = 20) -> list[Any]:
    """Alerts claimed but never confirmed sent (the draws app decides how old "stuck" is)."""
    selector = _optional("scoring.services.notifications", "notifications_stuck")
    if selector is not None:
        return list(selector(actor)[:limit])
    model = _optional("scoring.models", "Notification")
    if model is None:
        return []
    return list(model.objects.restrict(actor).filter(status="sending").order_by("pk")[:limit])


# --- Pathways -----------------------------------------------------------------------------------------


def _assessments(actor: Actor) -> Any:
    model = _optional("pathways.models", "PathwayAssessment")
    if model is None:
        return None
    qs = model.objects.restrict(actor)
    if any(f.name == "is_current" for f in model._meta.get_fields()):
        qs = qs.filter(is_current=True)
    return qs


def assessments_for_case(*, actor: Actor, case: Any) -> list[Any]:
    selector = _optional("pathways.selectors", "case_assessments")
    if selector is not None:
        return list(selector(actor=actor, case_id=case.pk))
    qs = _assessments(actor)
    return list(qs.filter(case=case).order_by("outcome", "pathway", "stream")) if qs is not None else []


_OUTCOME_RANK = {"eligible": 0, "needs_information": 1, "not_eligible": 2}
OUTCOME_LABELS = {
    "eligible": gettext_lazy("Eligible"),
    "needs_information": gettext_lazy("Needs information"),
    "not_eligible": gettext_lazy("Not eligible"),
}


def pathways_fit(*, actor: Actor, client: Client, today: date, limit: int = 10) -> list[dict[str, Any]]:
    """Which pathways fit the client, best first: the pathways app's ranking (computed, not stored)."""
    selector = _optional("pathways.selectors", "pathways_fit")
    rows: list[dict[str, Any]] = []
    if selector is not None:
        fit = selector(actor, client, as_of=today)
        for result in fit.results[:limit]:
            a = result.assessment
            rows.append(
                {
                    "pathway": a.pathway,
                    "stream": a.stream,
                    "outcome": a.outcome,
                    "outcome_label": OUTCOME_LABELS.get(a.outcome, a.outcome),
                    "criteria": list(a.criteria),
                    "unmet_count": len(a.unmet),
                    "unknown_count": len(a.unknown),
                    "case_id": result.case_id,
                }
            )
        return rows
    qs = _assessments(actor)
    if qs is None:
        return rows
    for a in sorted(qs.filter(client=client), key=lambda a: (_OUTCOME_RANK.get(a.outcome, 3), a.unmet_count))[
        :limit
    ]:
        rows.append(
            {
                "pathway": a.pathway,
                "stream": a.stream,
                "outcome": a.outcome,
                "outcome_label": a.get_outcome_display(),
                "criteria": a.criteria,
                "unmet_count": a.unmet_count,
                "unknown_count": a.unknown_count,
                "case_id": a.case_id,
            }
        )
    return rows


def language_levels(test: Any) -> dict[str, Any] | None:
    """CLB (English) or NCLC (French) levels of one language test, or None when not convertible."""
    convert = _optional("scoring.crs.language", "convert")
    official = _optional("scoring.crs.language", "official_language")
    if convert is None:
        return None
    try:
        levels = convert(
            test.test,
            {a: float(getattr(test, a)) for a in ("listening", "reading", "writing", "speaking")},
            test.test_date,
        )
    except Exception:  # an unconvertible score shows as "—", never a 500
        return None
    scale = "NCLC" if official and official(test.test) == "fr" else "CLB"
    return {"scale": scale, "levels": levels, "min": min(levels)}
