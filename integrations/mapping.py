"""From a provider's answers to the intake payload of `POST /api/v1/intake/` (the same serializer).

A source's `mapping` is `{intake field: question reference}`. Intake fields are dotted paths of the
intake payload (`identity.date_of_birth`, `language_tests.0.listening`); `identity.full_name` splits a
single name answer into first and last name. Answers are converted on the way: a choice answer is
matched to our value through the source's `value_map`, then by our code or label (any case, English or
French); yes/no answers become booleans; country names become ISO codes. Whatever cannot be read is
left as given, so the intake serializer names the field and the submission is kept as failed.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.constants import Pathway
from firm.constants import EducationLevel, LanguageTestKind, MaritalStatus, Province

LIST_TARGETS = {"language_tests": 2, "education": 2, "work_history": 3}  # list field -> how many items

_SCALARS: dict[str, tuple[Any, str]] = {
    "identity.full_name": (_("Full name (split into first and last)"), "full_name"),
    "identity.first_name": (_("First name"), "text"),
    "identity.last_name": (_("Last name"), "text"),
    "identity.date_of_birth": (_("Date of birth"), "date"),
    "identity.citizenships": (_("Citizenship(s)"), "countries"),
    "identity.country_of_residence": (_("Country of residence"), "country"),
    "contact.email": (_("Email"), "text"),
    "contact.phone": (_("Phone"), "text"),
    "contact.preferred_language": (_("Preferred language (en/fr)"), "language"),
    "marital_status": (_("Marital status"), "choice:marital"),
    "spouse.name": (_("Spouse's name"), "text"),
    "spouse.accompanying": (_("Spouse accompanying (yes/no)"), "bool"),
    "sibling_in_canada": (_("Sibling in Canada (yes/no)"), "bool"),
    "settlement_funds_cad": (_("Settlement funds (CAD)"), "number"),
    "family_size": (_("Family size"), "number"),
    "intended_province": (_("Intended province"), "choice:province"),
    "pathway": (_("Pathway"), "choice:pathway"),
    "stream": (_("Stream"), "text"),
}
_ITEMS: dict[str, dict[str, tuple[Any, str]]] = {
    "language_tests": {
        "test": (_("Language test"), "choice:language_test"),
        "test_date": (_("Test date"), "date"),
        "listening": (_("Listening"), "number"),
        "reading": (_("Reading"), "number"),
        "writing": (_("Writing"), "number"),
        "speaking": (_("Speaking"), "number"),
    },
    "education": {
        "level": (_("Education level"), "choice:education"),
        "field_of_study": (_("Field of study"), "text"),
        "country": (_("Country of study"), "country"),
        "in_canada": (_("Studied in Canada (yes/no)"), "bool"),
        "completed_on": (_("Completed on"), "date"),
    },
    "work_history": {
        "noc_code": (_("NOC 2021 code"), "text"),
        "teer": (_("TEER"), "number"),
        "job_title": (_("Job title"), "text"),
        "employer": (_("Employer"), "text"),
        "country": (_("Country of work"), "country"),
        "in_canada": (_("Worked in Canada (yes/no)"), "bool"),
        "start_date": (_("Start date"), "date"),
        "end_date": (_("End date"), "date"),
        "hours_per_week": (_("Hours per week"), "number"),
    },
}
_LIST_LABELS = {
    "language_tests": _("language test %(n)s"),
    "education": _("education %(n)s"),
    "work_history": _("work period %(n)s"),
}
_CHOICES = {
    "marital": MaritalStatus,
    "province": Province,
    "pathway": Pathway,
    "language_test": LanguageTestKind,
    "education": EducationLevel,
}
_YES = {"yes", "y", "true", "1", "oui", "o", "vrai"}
_NO = {"no", "n", "false", "0", "non", "faux", ""}


def targets() -> dict[str, tuple[str, str]]:
    """Every intake field a question can be mapped to: path -> (label, kind)."""
    out: dict[str, tuple[str, str]] = {path: (str(label), kind) for path, (label, kind) in _SCALARS.items()}
    for list_name, count in LIST_TARGETS.items():
        for index in range(count):
            for name, (label, kind) in _ITEMS[list_name].items():
                prefix = str(_LIST_LABELS[list_name]) % {"n": index + 1}
                out[f"{list_name}.{index}.{name}"] = (f"{label} ({prefix})", kind)
    return out


def _choice(kind: str, value: Any) -> Any:
    enum = _CHOICES[kind]
    text = str(value).strip().casefold()
    for code, label in enum.choices:
        with translation.override("fr"):
            french = str(label).casefold()
        if text in (str(code).casefold(), str(label).casefold(), french):
            return code
    return value


def _country(value: Any) -> Any:
    text = str(value or "").strip()
    if not text:
        return ""
    if text.upper() in dict(countries):
        return text.upper()
    return countries.by_name(text) or countries.by_name(text, language="fr") or text


def _bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    return True if text in _YES else False if text in _NO else value


def convert(kind: str, value: Any) -> Any:
    if isinstance(value, list) and kind not in ("countries",):
        value = value[0] if len(value) == 1 else value
    if kind == "date" and isinstance(value, str) and "T" in value:
        return value.split("T", 1)[0]
    if kind.startswith("choice:"):
        return _choice(kind.split(":", 1)[1], value)
    if kind == "country":
        return _country(value)
    if kind == "countries":
        values = value if isinstance(value, list) else [v for v in str(value or "").split(",") if v.strip()]
        return [_country(v) for v in values]
    if kind == "bool":
        return _bool(value)
    if kind == "language":
        text = str(value or "").strip().casefold()
        return "fr" if text.startswith("fr") else "en" if text.startswith(("en", "an")) else value
    return value


def _put(payload: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = payload
    for part, following in pairwise(parts):
        key: Any = int(part) if part.isdigit() else part
        if isinstance(node, list):
            while len(node) <= key:
                node.append({})
            node = node[key]
            continue
        node = node.setdefault(key, [] if following.isdigit() else {})
    last = parts[-1]
    node[int(last) if last.isdigit() else last] = value


def build_payload(
    *,
    answers: dict[str, Any],
    mapping: dict[str, str],
    value_map: dict[str, dict[str, Any]] | None = None,
    defaults: dict[str, Any] | None = None,
    source_label: str = "",
) -> tuple[dict[str, Any], dict[str, str]]:
    """(intake payload, errors by intake field). Errors here: unknown targets, unanswered questions."""
    known = targets()
    payload: dict[str, Any] = {"identity": {}, "contact": {}}
    errors: dict[str, str] = {}
    for path, value in (defaults or {}).items():
        if path not in known:
            errors[path] = str(_("Not an intake field."))
            continue
        _put(payload, path, value)
    for path, ref in (mapping or {}).items():
        if path not in known:
            errors[path] = str(_("Not an intake field."))
            continue
        if ref not in answers or answers[ref] in (None, "", []):
            continue  # unanswered: the serializer says so if the field is required
        value = answers[ref]
        translated = (value_map or {}).get(path, {})
        if isinstance(value, str) and value in translated:
            value = translated[value]
        else:
            value = convert(known[path][1], value)
        if known[path][1] == "full_name":
            first, _sep, last = str(value).strip().partition(" ")
            _put(payload, "identity.first_name", first)
            _put(payload, "identity.last_name", last.strip())
        else:
            _put(payload, path, value)
    for list_name in LIST_TARGETS:  # drop list items left empty
        if isinstance(payload.get(list_name), list):
            payload[list_name] = [item for item in payload[list_name] if item]
    if source_label:
        payload.setdefault("source", source_label[:60])
    return payload, errors


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, str]:
    """DRF's nested error detail -> {"identity.date_of_birth": "message"} (list items by index)."""
    out: dict[str, str] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            out[prefix or "non_field_errors"] = " ".join(str(v) for v in detail)
        else:
            for index, value in enumerate(detail):
                if value:
                    out.update(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = str(detail)
    return out
