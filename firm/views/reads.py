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
    model = _score_model()
    if model is None:
        return None
    return model.objects.restrict(actor).filter(client=client, is_current=True).first()


def score_history(*, actor: Actor, client: Client) -> list[Any]:
    model = _score_model()
    if model is None:
        return []
    return list(model.objects.restrict(actor).filter(client=client).order_by("as_of", "computed_at", "pk"))


def scores_current(*, actor: Actor, client_ids: list[int] | None = None, limit: int = 25) -> list[Any]:
    model = _score_model()
    if model is None:
        return []
    qs = model.objects.restrict(actor).filter(is_current=True).select_related("client")
    if client_ids is not None:
        qs = qs.filter(client_id__in=client_ids)
    return list(qs.order_by("-total")[:limit])


def eligibility_list(*, actor: Actor, client: Client) -> list[Any]:
    model = _optional("scoring.models", "Eligibility")
    if model is None:
        return []
    return list(model.objects.restrict(actor).filter(client=client).order_by("program", "version"))


def whatif_for(score: Any, *, limit: int = 8) -> list[dict[str, Any]]:
    """What would raise this stored score: the what-if engine run on the score's own inputs."""
    whatif = _optional("scoring.crs.whatif", "whatif")
    if score is None or whatif is None or not getattr(score, "profile", None):
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
    match = _optional("scoring.models", "DrawMatch")
    if match is None or draw is None:
        return []
    qs = match.objects.restrict(actor).filter(draw=draw, status="active").select_related("client")
    if mine_only_user:
        qs = qs.filter(client__assigned_lawyer_id=mine_only_user)
    return list(qs.order_by("-score", "client__last_name"))


def client_draw_matches(*, actor: Actor, client: Client) -> list[Any]:
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
    model = _optional("scoring.models", "Notification")
    if model is None:
        return []
    return list(model.objects.restrict(actor).filter(status="sending").order_by("pk")[:limit])


# --- Pathways -----------------------------------------------------------------------------------------


def assessments_for_case(*, actor: Actor, case: Any) -> list[Any]:
    model = _optional("pathways.models", "PathwayAssessment")
    if model is None:
        return []
    return list(model.objects.restrict(actor).filter(case=case))


def pathways_fit(*, actor: Actor, client: Client, today: date) -> list[Any]:
    fn = _optional("pathways.selectors", "pathways_for_client")
    if fn is None:
        return []
    try:
        return list(fn(actor=actor, client=client, today=today))
    except TypeError:
        return list(fn(actor=actor, client=client))


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
    except Exception:  # noqa: BLE001 - an unconvertible score shows as "—", never a 500
        return None
    scale = "NCLC" if official and official(test.test) == "fr" else "CLB"
    return {"scale": scale, "levels": levels, "min": min(levels)}
