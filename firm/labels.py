"""One place for the words a person reads instead of a code: `label(kind, code)`.

Every code shown on a page or in an email (pathway, stream, program, category, rule set, deadline
source or kind, criterion key ...) goes through here, so it has a proper name and a French translation.
Templates use the `label` filter (`{{ code|label:"pathway" }}`, from `{% load maple %}`). Other modules
add their own kinds with `register("milestone", {...})` at import time (values are `gettext_lazy`).

Pure data plus `django.utils.translation`: core layer, imports nothing above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

_TABLES: dict[str, dict[str, Any]] = {}
_RULES: dict[str, Callable[[str], str | None]] = {}


def register(kind: str, mapping: Mapping[str, Any]) -> None:
    """Add (or extend) the labels of one kind of code."""
    _TABLES.setdefault(kind, {}).update(mapping)


def register_rule(kind: str, rule: Callable[[str], str | None]) -> None:
    """A function for codes that follow a pattern (e.g. dated rule-set ids); None when it does not apply."""
    _RULES[kind] = rule


def humanize(code: str) -> str:
    """The last resort for a code nobody labelled: words, not underscores (free text is kept as typed)."""
    if not re.fullmatch(r"[a-z0-9_:.\-]+", code):
        return code
    words = code.replace("_", " ").replace(":", " · ").strip()
    return words[:1].upper() + words[1:]


def label(kind: str, code: Any) -> str:
    """The reader's word for `code` (in the active language); "" for an empty code."""
    if code is None or code == "":
        return ""
    text = str(code)
    table = _TABLES.get(kind, {})
    for key in (text, text.lower()):
        if key in table:
            return str(table[key])
    rule = _RULES.get(kind)
    if rule is not None:
        found = rule(text)
        if found:
            return found
    return humanize(text)


def known(kind: str, code: Any) -> bool:
    return str(code) in _TABLES.get(kind, {}) or str(code).lower() in _TABLES.get(kind, {})


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


# --- Pathways and their streams -----------------------------------------------------------------------

register(
    "pathway",
    {
        "express_entry": _("Express Entry"),
        "gts": _("Global Talent Stream"),
        "ict": _("Intra-company transfer"),
        "cusma_ict": _("CUSMA intra-company transferee"),
        "cusma_professional": _("CUSMA professional"),
        "start_up_visa": _("Start-Up Visa"),
        "suv": _("Start-Up Visa"),
        "pnp": _("Provincial Nominee Program"),
        "oinp": _("Ontario Immigrant Nominee Program"),
        "bcpnp": _("BC Provincial Nominee Program"),
        "aaip": _("Alberta Advantage Immigration Program"),
        "sinp": _("Saskatchewan Immigrant Nominee Program"),
        "mpnp": _("Manitoba Provincial Nominee Program"),
        "other": _("Other"),
    },
)

register(
    "program",
    {
        "fsw": _("Federal Skilled Worker Program"),
        "cec": _("Canadian Experience Class"),
        "fst": _("Federal Skilled Trades Program"),
        "fstp": _("Federal Skilled Trades Program"),
        "no_program": _("No program specified"),
    },
)

register(
    "category",
    {
        "french": _("French-language proficiency"),
        "healthcare": _("Healthcare and social services occupations"),
        "stem": _("STEM occupations"),
        "trades": _("Trade occupations"),
        "transport": _("Transport occupations"),
        "agriculture": _("Agriculture and agri-food occupations"),
        "education": _("Education occupations"),
        "physicians": _("Physicians with Canadian work experience"),
        "senior_managers": _("Senior managers with Canadian work experience"),
        "researchers": _("Researchers with Canadian work experience"),
        "military": _("Skilled military recruits"),
        "general": _("General (all programs)"),
        "pnp": _("Provincial Nominee Program"),
        "cec": _("Canadian Experience Class"),
        "fsw": _("Federal Skilled Worker Program"),
        "fst": _("Federal Skilled Trades Program"),
    },
)

_STREAMS = {
    "programs": _("Express Entry programs"),
    "executive_manager": _("Executive or senior manager"),
    "sk": _("Specialized knowledge"),
    "new_office": _("Establishing a new office"),
    "start_up_business_class": _("Start-up business class"),
    "hcp_tech": _("Human Capital Priorities: tech draws"),
    "ejo_foreign_worker": _("Employer Job Offer: Foreign Worker"),
    "skilled_worker": _("Skilled Worker"),
    "tech_legacy": _("BC PNP Tech (former priority list)"),
    "accelerated_tech_pathway": _("Accelerated Tech Pathway"),
    "tech_talent_pathway": _("Tech Talent Pathway"),
    "skilled_worker_in_manitoba": _("Skilled Worker in Manitoba"),
    "category_a": _("Category A (referred by a designated partner)"),
    "category_b": _("Category B (Global Talent Occupations List)"),
}
register("stream", {**_STREAMS, **_TABLES["program"]})


def _stream_rule(code: str) -> str | None:
    if code.startswith("category:"):
        return gettext("Category: %(name)s") % {"name": label("category", code.split(":", 1)[1])}
    if re.fullmatch(r"[A-Z]\d\d", code):
        # IRCC work-permit exemption codes (C12, T24, T36 ...): lawyers know them, but say what they are.
        return gettext("Work permit exemption code %(code)s") % {"code": code}
    return None


register_rule("stream", _stream_rule)


def pathway_stream(pathway: Any, stream: Any) -> str:
    """ "Express Entry · Canadian Experience Class" for an assessment or a case."""
    head = label("pathway", pathway)
    tail = label("stream", stream) if stream else ""
    return f"{head} · {tail}" if tail else head


# --- Rule sets, category lists, deadlines ---------------------------------------------------------------


def _rule_set_rule(code: str) -> str | None:
    found = re.fullmatch(r"crs-(\d{4})-(\d\d)-(\d\d)", code)
    if not found:
        return None
    since = date(int(found[1]), int(found[2]), int(found[3]))
    return gettext("CRS rules in force since %(date)s") % {"date": _day(since)}


register_rule("rule_set", _rule_set_rule)

register(
    "deadline_source",
    {
        "seed": _("Set by the firm"),
        "manual": _("Set by the firm"),
        "": _("Set by the firm"),
    },
)


def _deadline_source_rule(code: str) -> str | None:
    """Rule-made deadlines store "<pathway>:<stream> <reference>": show the pathway and stream."""
    head, _sep, _ref = code.partition(" ")
    pathway, _colon, stream = head.partition(":")
    if pathway in _TABLES["pathway"]:
        return gettext("From the %(pathway)s rules") % {"pathway": pathway_stream(pathway, stream)}
    return None


register_rule("deadline_source", _deadline_source_rule)

register(
    "deadline_kind",
    {
        "manual": _("Set by hand"),
        "follow_up": _("Follow-up"),
        "ee_apr_due": _("Express Entry application due (after an invitation)"),
        "ee_profile_expiry": _("Express Entry profile expires"),
        "language_test_expiry": _("Language test result expires"),
        "eca_expiry": _("Credential assessment expires"),
        "medical_expiry": _("Medical exam expires"),
        "police_certificate_expiry": _("Police certificate expires"),
        "oinp_application_due": _("OINP application due"),
        "oinp_eoi_due": _("OINP expression of interest due"),
        "oinp_employer_due": _("OINP employer form due"),
        "oinp_applicant_due": _("OINP applicant form due"),
        "bcpnp_application_due": _("BC PNP application due"),
        "mpnp_application_due": _("MPNP application due"),
        "lmia_expiry": _("LMIA expires"),
        "lmbp_review": _("Labour Market Benefits Plan review"),
        "gss_biometrics_due": _("Biometrics due (Global Skills Strategy)"),
        "suv_commitment_expiry": _("Start-up commitment expires"),
        "document_expiry": _("Document expires"),
        "filing": _("Filing"),
        "biometrics": _("Biometrics"),
        "medical": _("Medical exam"),
        "ita_response": _("Reply to the invitation to apply"),
        "initial_permit_max_end": _("Latest end date of the first work permit"),
        "ict_cap_reached": _("Intra-company transfer: 7-year total reached"),
        "suv_transition_apply_by": _("Last day to apply with the previous year's commitment certificate"),
    },
)

# Criterion keys of the eligibility engines (scoring/crs, pathways/rules) that have a plain name.
register(
    "criterion",
    {
        "work_experience": _("Work experience"),
        "selection_grid": _("Selection grid (67 points)"),
        "outside_quebec": _("Plans to live outside Quebec"),
        "language": _("Language"),
        "canadian_work": _("Canadian work experience"),
        "funds": _("Settlement funds"),
        "education": _("Education"),
        "trade_work": _("Work in a skilled trade"),
        "certificate_or_offer": _("Certificate of qualification or job offer"),
        "noc_requirements": _("Meets the occupation's requirements"),
        "program": _("Eligible for an Express Entry program"),
        "occupation_work": _("Work in a listed occupation"),
        "french": _("French-language skills"),
        "caf_job_offer": _("Canadian Armed Forces job offer"),
        "date_of_birth": _("Date of birth recorded"),
        "ee_profile": _("Active Express Entry profile"),
    },
)

register(
    "rule_data",
    {
        "ee_categories": _("Express Entry category lists"),
        "crs": _("CRS rules"),
    },
)

register_rule("rule_data", lambda code: label("pathway", code) if known("pathway", code) else None)

register(
    "client_source",
    {
        "website": _("Website"),
        "referral": _("Referral"),
        "intake form": _("Intake form"),
        "intake": _("Intake form"),
        "linkedin": _("LinkedIn"),
        "api": _("Intake API"),
    },
)

# Words shown on pages that come from other packages without a French translation: kept here so that
# makemessages extracts them into our catalogue (django-countries' French catalogue lacks these names;
# the language switch shows "Français" as such).
THIRD_PARTY_WORDS = [
    gettext_noop("Bahamas (The)"),
    gettext_noop("Democratic Republic of the Congo"),
    gettext_noop("Micronesia"),
    gettext_noop("Palestine"),
    gettext_noop("Saint Helena"),
    gettext_noop("South Georgia"),
    gettext_noop("Vatican City"),
    gettext_noop("Français"),
]
