"""Rounds for the ITA outlook, read from the database (``Draw``) as the pure engine's RoundRecord."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from firm.models import Client
from firm.scoping import Actor
from scoring.models import ClientOutlook, Draw, DrawCategory
from scoring.outlook import RoundRecord, kinds_open_to
from scoring.outlook.sources import snapshot_records


def outlook_rounds(as_of: date) -> tuple[list[RoundRecord], str]:
    """The rounds dated on or before ``as_of`` and where they came from.

    If the database holds no round at all (a fresh install), the snapshot shipped with the code
    (rounds 1-300, to 2024-07-04) is used instead, and the source says so.
    """
    if not Draw.objects.exists():
        return [r for r in snapshot_records() if r.draw_date <= as_of], "snapshot"
    rows = (
        Draw.objects.filter(draw_date__lte=as_of)
        .exclude(category="unknown")
        .order_by("draw_date", "draw_number")
        .values_list(
            "draw_date", "category", "min_crs", "tie_break_at", "run_at", "distribution", "distribution_as_of"
        )
    )
    records = [
        RoundRecord(
            draw_date=d,
            category=c,
            min_crs=m,
            tie_break_at=t,
            run_at=r,
            distribution=dist or {},
            distribution_as_of=da,
        )
        for d, c, m, t, r, dist, da in rows
    ]
    return records, "database"


# --------------------------------------------------------------------------------------------------------
# Reads of the stored outlook (scoped) and what-if outlooks
# --------------------------------------------------------------------------------------------------------

CAVEAT = _(
    "A reading of past Express Entry rounds, not a promise: IRCC alone decides when to hold rounds, of "
    "which kind, and who is invited. It can pause a kind of round or create a new one at any time."
)

#: Labels of the kinds of rounds (Draw.category keys; "general" covers "No Program Specified" too).
KIND_LABELS = {
    "general": _("General (all programs)"),
    "cec": _("Canadian Experience Class"),
    "fsw": _("Federal Skilled Worker"),
    "fst": _("Federal Skilled Trades"),
    "pnp": _("Provincial Nominee Program"),
    "french": _("French-language proficiency"),
    "healthcare": _("Healthcare and social services"),
    "stem": _("STEM"),
    "trades": _("Trades"),
    "transport": _("Transport"),
    "agriculture": _("Agriculture and agri-food"),
    "education": _("Education occupations"),
    "physicians": _("Physicians with Canadian work experience"),
    "senior_managers": _("Senior managers with Canadian work experience"),
    "researchers": _("Researchers with Canadian work experience"),
    "military": _("Skilled military recruits"),
}


def outlook_for_client(actor: Actor, client: Client | int) -> ClientOutlook | None:
    client_id = client if isinstance(client, int) else client.pk
    return ClientOutlook.objects.restrict(actor).filter(client_id=client_id).select_related("client").first()


def outlooks_top(actor: Actor, *, limit: int = 10) -> list[ClientOutlook]:
    """The actor's clients most likely to be invited within 90 days (stored outlooks), best first."""
    return list(
        ClientOutlook.objects.restrict(actor)
        .filter(p_90__gt=0)
        .select_related("client")
        .order_by("-p_90", "-p_365", "client_id")[:limit]
    )


def kind_labels() -> dict[str, str]:
    labels = {key: str(label) for key, label in DrawCategory.choices}
    labels.update({key: str(label) for key, label in KIND_LABELS.items()})
    return labels


#: What-if lines that also open a kind of round: a nomination opens PNP rounds (its 600 points are in
#: the new total); NCLC 7 in all four French abilities opens French-language rounds (categories.md,
#: "Category eligibility rules", French-language proficiency).
OPENS_KIND = {
    "provincial_nomination": "pnp",
    "second_language.nclc_7": "french",
    "second_language.nclc_9": "french",
}


def whatif_outlooks(actor: Actor, client: Client | int) -> list[dict[str, Any]]:
    """Each what-if line of the client's score with the outlook it would give (same day, same model).

    A line keeps the client's eligible set, plus the kind it opens (``OPENS_KIND``). Without a stored
    CRS profile (no what-if lines) a nomination line is still offered (+600, PNP rounds). Empty without
    a stored outlook.
    """
    from scoring.selectors.scores import score_whatif
    from scoring.services.outlook import outlook_model

    stored = outlook_for_client(actor, client)
    if stored is None:
        return []
    model, _n, _source = outlook_model(stored.as_of)
    lines = [dict(i) for i in score_whatif(actor, client)]
    if "pnp" not in stored.eligible_for and not any(i["key"] == "provincial_nomination" for i in lines):
        total = min(1200, stored.score + 600)
        lines.append(
            {
                "key": "provincial_nomination",
                "label": str(_("a provincial nomination")),
                "new_total": total,
                "delta": total - stored.score,
            }
        )
    out = []
    for line in lines:
        opens = OPENS_KIND.get(line["key"])
        kinds = kinds_open_to([*stored.eligible_for, *([opens] if opens else [])])
        p = model.probabilities(line["new_total"], kinds)
        out.append(
            {
                **line,
                "opens": opens or "",
                "p_90": round(p[0], 4),
                "p_180": round(p[1], 4),
                "p_365": round(p[2], 4),
            }
        )
    out.sort(key=lambda item: (-item["p_180"], -item["delta"], item["key"]))
    return out
