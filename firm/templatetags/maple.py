"""Small template helpers for the dashboard and portal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    return {
        "status": status,
        "label": key.replace("_", " ").capitalize() if key and key == key.lower() and " " not in key else key,
        "reason": _field(raw, "reason", "detail", "message"),
        "source": _field(raw, "source"),
        "verification": _field(raw, "verification", "status_of_source"),
    }


@register.filter
def attr(obj: Any, name: str) -> Any:
    """obj.name / obj[name], or "" (never raises in a template)."""
    return _field(obj, name)
