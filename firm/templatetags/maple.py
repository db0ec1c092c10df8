"""Small template helpers for the dashboard and portal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from firm import labels as _labels
from firm.web.labels import OUTCOME_LABELS
from scoring.crs.language import convert, official_language

register = template.Library()

_STATUS_TONE = {
    "requested": "warn",
    "rejected": "bad",
    "expired": "bad",
    "uploaded": "info",
    "verified": "good",
    "approved": "good",
    "refused": "bad",
    "withdrawn": "muted",
    "closed": "muted",
    "eligible": "good",
    "not_eligible": "bad",
    "needs_information": "warn",
    "met": "good",
    "unmet": "bad",
    "unknown": "warn",
    "likely": "good",
    "unlikely": "bad",
    "sending": "warn",
    "failed": "bad",
    "sent": "good",
    "pending": "info",
}


@register.filter
def tone(status: Any) -> str:
    """CSS modifier for a status badge."""
    return _STATUS_TONE.get(str(status), "info")


@register.filter
def due_in(due: date | None, today: date | None = None) -> str:
    if due is None:
        return ""
    today = today or date.today()  # noqa: DTZ011 - calendar date
    days = (due - today).days
    if days < 0:
        return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}
    if days == 0:
        return _("due today")
    return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def signed(value: Any) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"+{n}" if n > 0 else str(n)


@register.filter
def language_levels(test: Any) -> dict[str, Any] | None:
    """CLB (English) or NCLC (French) levels of one language test, or None when not convertible."""
    try:
        levels = convert(
            test.test,
            {a: float(getattr(test, a)) for a in ("listening", "reading", "writing", "speaking")},
            test.test_date,
        )
    except Exception:  # an unconvertible score shows as "—", never a 500
        return None
    scale = "NCLC" if official_language(test.test) == "fr" else "CLB"
    return {"scale": scale, "levels": levels, "min": min(levels)}


@register.filter
def outcome_label(outcome: Any) -> str:
    """ "eligible" / "needs_information" / "not_eligible" in the page's language."""
    return str(OUTCOME_LABELS.get(str(outcome), outcome))


def _field(obj: Any, *names: str) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return ""


@register.filter
def criterion(raw: Any) -> dict[str, Any]:
    """A criterion from an eligibility or assessment (dict or object) as {status, label, reason, source}."""
    status = str(_field(raw, "status", "outcome") or "unknown")
    key = str(_field(raw, "label", "name", "key", "criterion"))
    code = str(_field(raw, "key", "criterion", "name"))
    translated = False
    if code and _labels.known("criterion", code):
        from django.utils.translation import override

        with override("en"):
            english = _labels.label("criterion", code)
        generated = key.lower().endswith(code.replace("_", " ").lower()) or key in (code, english)
        if generated:
            # "Canadian Experience Class: outside quebec" -> the plain (and translated) name of the key
            key, translated = _labels.label("criterion", code), True
    shown = key.replace("_", " ").capitalize() if key and key == key.lower() and " " not in key else key
    return {
        "status": status,
        "label": shown,
        # Engine text (reasons, and labels not in firm/labels.py) is English: the page marks it lang="en".
        "translated": translated,
        "reason": _field(raw, "reason", "detail", "message"),
        "source": _field(raw, "source"),
        "verification": _field(raw, "verification", "status_of_source"),
    }


@register.filter
def attr(obj: Any, name: str) -> Any:
    """obj.name / obj[name], or "" (never raises in a template)."""
    return _field(obj, name)


@register.filter
def label(code: Any, kind: str) -> str:
    """`{{ case.pathway|label:"pathway" }}`: the reader's word for a code (see firm/labels.py)."""
    return _labels.label(kind, code)


@register.simple_tag
def pathway_stream(pathway: Any, stream: Any = "") -> str:
    """`{% pathway_stream a.pathway a.stream %}` -> "Express Entry · Canadian Experience Class"."""
    return _labels.pathway_stream(pathway, stream)


@register.filter
def category_version(key: Any) -> str:
    """A category list version ("2023-v1") in words, saying when a retired list was replaced."""
    from django.utils import timezone
    from django.utils.formats import date_format

    from scoring.crs.categories import VERSIONS, VERSIONS_BY_KEY

    version = VERSIONS_BY_KEY.get(str(key))
    if version is None:
        return _labels.humanize(str(key or ""))
    since = date_format(version.effective_from, "DATE_FORMAT")
    later = [v for v in VERSIONS if v.effective_from > version.effective_from]
    today = timezone.localdate()
    replaced = min((v.effective_from for v in later), default=None)
    if replaced is not None and replaced <= today:
        return _("Category list of %(since)s (retired: replaced on %(until)s)") % {
            "since": since,
            "until": date_format(replaced, "DATE_FORMAT"),
        }
    if version.effective_from > today:
        return _("Category list from %(since)s (not yet in force)") % {"since": since}
    return _("Category list in force since %(since)s") % {"since": since}


@register.filter
def document_title(doc: Any) -> str:
    """The document's kind in the reader's language, plus its own label when it says more.

    Labels are stored in English (often the kind's English name): "Passport — Passport" and
    "Évaluation des diplômes d'études (EDE) — Educational credential assessment" never show.
    """
    from django.utils.translation import get_language, override

    kind = str(doc.get_kind_display())
    with override("en"):
        english = str(doc.get_kind_display())
    extra = (doc.label or "").strip()
    if not extra or extra.lower() in (english.lower(), kind.lower()):
        return kind
    from_rules = bool(getattr(doc, "checklist_key", "")) and doc.kind != "other"
    if from_rules and not (get_language() or "en").startswith("en"):
        return kind  # the checklist's English wording adds little to the translated kind
    return f"{kind} — {extra}"


@register.filter
def deadline_label(deadline: Any) -> str:
    """A deadline's label; a rule-made one is named by its kind in the reader's language."""
    from django.utils.translation import get_language

    kind = getattr(deadline, "kind", "") or ""
    english = (get_language() or "en").startswith("en")
    rule_made = bool(getattr(deadline, "source_key", ""))  # written by the pathway rules, in English
    if not english and rule_made and _labels.known("deadline_kind", kind):
        return _labels.label("deadline_kind", kind)
    # labels written from rule data (cases/data) are in the catalogue; typed ones come back unchanged
    return _(deadline.label) if deadline.label and rule_made and not english else deadline.label


@register.filter
def whatif_label(item: Any) -> str:
    """A what-if line ({key, label, ...}) in the reader's language."""
    from firm.web.labels import whatif_label as _whatif

    return _whatif(str(_field(item, "key")), str(_field(item, "label")))


@register.filter
def breakdown_label(key: Any) -> str:
    """A CRS breakdown key ("first_language.reading") as its row name in the reader's language."""
    from firm.web.labels import breakdown_label as _label

    return _label(str(key))
