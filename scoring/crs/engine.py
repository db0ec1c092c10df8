"""The CRS scoring engine: ``score(profile, rules) -> CRSResult``.

The profile is already converted to CLB/NCLC levels and whole years; no validation happens here
(see ``contract.calculate`` for validated input). Rule-set tables are compiled once into flat
lookup tuples so that scoring is a handful of index operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.crs.rulesets import RuleSet

ABILITIES: tuple[str, str, str, str] = ("listening", "reading", "writing", "speaking")
_MAX_CLB = 12
_MAX_YEARS = 5
_MAX_AGE = 130


@dataclass(frozen=True, slots=True)
class CRSProfile:
    """Inputs to the CRS grid.

    Language levels are tuples ``(listening, reading, writing, speaking)`` of CLB (English) or NCLC
    (French) levels, 0-12 (anything below 4 means "below CLB 4"). ``with_spouse`` is True only when
    a spouse/partner is accompanying AND is not a Canadian citizen or PR.
    """

    age: int
    education: str = "none"
    first_language: tuple[int, int, int, int] = (0, 0, 0, 0)
    first_language_code: str = "en"  # "en" or "fr"
    second_language: tuple[int, int, int, int] | None = None
    with_spouse: bool = False
    canadian_work_years: int = 0
    foreign_work_years: int = 0
    certificate_of_qualification: bool = False
    canadian_education: str = "none"
    arranged_employment: str = "none"
    nomination: bool = False
    sibling: bool = False
    spouse_education: str = "none"
    spouse_language: tuple[int, int, int, int] | None = None
    spouse_canadian_work_years: int = 0


@dataclass(frozen=True, slots=True)
class CRSResult:
    total: int
    rule_set: str
    sections: dict[str, int]
    breakdown: dict[str, int]


class _Compiled:
    """Flat lookup tables for one rule set and one column (with / without spouse)."""

    __slots__ = (
        "ae",
        "age",
        "cdn_edu",
        "cdn_work",
        "core_max",
        "edu",
        "first",
        "french_clb_en",
        "french_lower",
        "french_nclc",
        "french_upper",
        "nomination",
        "second",
        "second_cap",
        "sibling",
        "spouse_cap",
        "spouse_edu",
        "spouse_lang",
        "spouse_work",
    )

    def __init__(self, rules: RuleSet, col: int) -> None:
        t = rules.tables
        self.age = tuple(t["age"].band(a)[col] for a in range(_MAX_AGE + 1))
        self.edu = {k: v[col] for k, v in t["education"].rows.items()}
        self.first = tuple(t["first_language"].band(c)[col] for c in range(_MAX_CLB + 1))
        self.second = tuple(t["second_language"].band(c)[col] for c in range(_MAX_CLB + 1))
        sl = t["second_language"].values
        self.second_cap = sl["cap_with_spouse"] if col == 0 else sl["cap_without_spouse"]
        self.cdn_work = tuple(t["canadian_work"].band(y)[col] for y in range(_MAX_YEARS + 1))
        cm = t["core_maximum"].values
        self.core_max = cm["with_spouse"] if col == 0 else cm["without_spouse"]
        self.spouse_edu = {k: v[0] for k, v in t["spouse_education"].rows.items()}
        self.spouse_lang = tuple(t["spouse_language"].band(c)[0] for c in range(_MAX_CLB + 1))
        self.spouse_cap = t["spouse_language"].values["cap"]
        self.spouse_work = tuple(t["spouse_canadian_work"].band(y)[0] for y in range(_MAX_YEARS + 1))
        self.nomination = t["nomination"].values["points"]
        self.sibling = t["sibling"].values["points"]
        fb = t["french_bonus"].values
        self.french_nclc = fb["nclc_min"]
        self.french_clb_en = fb["english_clb_min"]
        self.french_lower = fb["points_without_english"]
        self.french_upper = fb["points_with_english"]
        self.cdn_edu = {k: v[0] for k, v in t["canadian_education"].rows.items()}
        self.ae = {k: v[0] for k, v in t["arranged_employment"].rows.items()}


class _CompiledRuleSet:
    __slots__ = (
        "add_cap",
        "cert_cap",
        "cert_hi",
        "cert_hi_pts",
        "cert_lo",
        "cert_lo_pts",
        "cols",
        "cw_hi",
        "cw_lo",
        "edu_cap",
        "edu_row",
        "foreign_cap",
        "foreign_rows",
        "lower",
        "rules",
        "section_cap",
        "tier_hi",
        "tier_lo",
        "upper",
    )

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.cols = (_Compiled(rules, 0), _Compiled(rules, 1))
        tr = rules.tables["transferability"].values
        self.edu_row = dict(tr["education_row"])
        self.lower = tuple(tr["row_points_lower"])
        self.upper = tuple(tr["row_points_upper"])
        self.tier_lo = tr["language_tier_lower_clb"]
        self.tier_hi = tr["language_tier_upper_clb"]
        self.cw_lo = tr["canadian_work_lower_years"]
        self.cw_hi = tr["canadian_work_upper_years"]
        self.foreign_rows = tuple(tr["foreign_row_min_years"])
        self.cert_lo = tr["certificate_lower_clb"]
        self.cert_lo_pts = tr["certificate_lower_points"]
        self.cert_hi = tr["certificate_upper_clb"]
        self.cert_hi_pts = tr["certificate_upper_points"]
        self.edu_cap = tr["education_cap"]
        self.foreign_cap = tr["foreign_cap"]
        self.cert_cap = tr["certificate_cap"]
        self.section_cap = tr["section_cap"]
        self.add_cap = rules.tables["additional_maximum"].values["cap"]


_CACHE: dict[int, _CompiledRuleSet] = {}


def _compiled(rules: RuleSet) -> _CompiledRuleSet:
    c = _CACHE.get(id(rules))
    if c is None or c.rules is not rules:
        c = _CompiledRuleSet(rules)
        _CACHE[id(rules)] = c
    return c


def _clip(v: int, hi: int) -> int:
    return 0 if v < 0 else (hi if v > hi else v)


def _core(p: CRSProfile, c: _Compiled, bd: dict[str, int]) -> int:
    """A. Core / human capital factors (age, education, official languages, Canadian work)."""
    age_pts = c.age[_clip(p.age, _MAX_AGE)]
    edu_pts = c.edu[p.education]
    fl = p.first_language
    # per-ability first-language points
    first_tab = c.first
    l0 = first_tab[_clip(fl[0], _MAX_CLB)]
    l1 = first_tab[_clip(fl[1], _MAX_CLB)]
    l2 = first_tab[_clip(fl[2], _MAX_CLB)]
    l3 = first_tab[_clip(fl[3], _MAX_CLB)]
    first_total = l0 + l1 + l2 + l3
    bd["age"] = age_pts
    bd["education"] = edu_pts
    bd["first_language.listening"] = l0
    bd["first_language.reading"] = l1
    bd["first_language.writing"] = l2
    bd["first_language.speaking"] = l3
    bd["first_language.total"] = first_total

    sl = p.second_language
    if sl is not None:
        st = c.second
        s0 = st[_clip(sl[0], _MAX_CLB)]
        s1 = st[_clip(sl[1], _MAX_CLB)]
        s2 = st[_clip(sl[2], _MAX_CLB)]
        s3 = st[_clip(sl[3], _MAX_CLB)]
    else:
        s0 = s1 = s2 = s3 = 0
    second_uncapped = s0 + s1 + s2 + s3
    second_total = second_uncapped if second_uncapped < c.second_cap else c.second_cap
    bd["second_language.listening"] = s0
    bd["second_language.reading"] = s1
    bd["second_language.writing"] = s2
    bd["second_language.speaking"] = s3
    bd["second_language.uncapped"] = second_uncapped
    bd["second_language.total"] = second_total

    cw = p.canadian_work_years
    cw_pts = c.cdn_work[_clip(cw, _MAX_YEARS)]
    bd["canadian_work"] = cw_pts
    core = age_pts + edu_pts + first_total + second_total + cw_pts
    if core > c.core_max:
        core = c.core_max

    return int(core)


def _spouse(p: CRSProfile, c: _Compiled, bd: dict[str, int]) -> int:
    """B. Spouse or common-law partner factors."""
    ws = p.with_spouse
    if ws:
        sp_edu = c.spouse_edu[p.spouse_education]
        spl = p.spouse_language
        if spl is not None:
            lt = c.spouse_lang
            p0 = lt[_clip(spl[0], _MAX_CLB)]
            p1 = lt[_clip(spl[1], _MAX_CLB)]
            p2 = lt[_clip(spl[2], _MAX_CLB)]
            p3 = lt[_clip(spl[3], _MAX_CLB)]
        else:
            p0 = p1 = p2 = p3 = 0
        sp_lang = p0 + p1 + p2 + p3
        if sp_lang > c.spouse_cap:
            sp_lang = c.spouse_cap
        sp_work = c.spouse_work[_clip(p.spouse_canadian_work_years, _MAX_YEARS)]
    else:
        sp_edu = p0 = p1 = p2 = p3 = sp_lang = sp_work = 0
    spouse = sp_edu + sp_lang + sp_work
    bd["spouse.education"] = sp_edu
    bd["spouse.first_language.listening"] = p0
    bd["spouse.first_language.reading"] = p1
    bd["spouse.first_language.writing"] = p2
    bd["spouse.first_language.speaking"] = p3
    bd["spouse.first_language.total"] = sp_lang
    bd["spouse.canadian_work"] = sp_work

    return int(spouse)


def _transferability(p: CRSProfile, cr: _CompiledRuleSet, bd: dict[str, int]) -> int:
    """C. Skill transferability (education, foreign work, certificate of qualification; capped)."""
    fl = p.first_language
    cw = p.canadian_work_years
    lowest = min(fl)
    if lowest >= cr.tier_hi:
        lang_tab = cr.upper
    elif lowest >= cr.tier_lo:
        lang_tab = cr.lower
    else:
        lang_tab = None
    if cw >= cr.cw_hi:
        cw_tab = cr.upper
    elif cw >= cr.cw_lo:
        cw_tab = cr.lower
    else:
        cw_tab = None
    erow = cr.edu_row[p.education]
    e_lang = lang_tab[erow] if lang_tab is not None else 0
    e_cw = cw_tab[erow] if cw_tab is not None else 0
    e_sum = e_lang + e_cw
    e_tot = e_sum if e_sum < cr.edu_cap else cr.edu_cap
    fw = p.foreign_work_years
    fr = cr.foreign_rows
    frow = 2 if fw >= fr[2] else (1 if fw >= fr[1] else 0)
    f_lang = lang_tab[frow] if lang_tab is not None else 0
    f_cw = cw_tab[frow] if cw_tab is not None else 0
    f_sum = f_lang + f_cw
    f_tot = f_sum if f_sum < cr.foreign_cap else cr.foreign_cap
    if p.certificate_of_qualification:
        if lowest >= cr.cert_hi:
            cert = cr.cert_hi_pts
        elif lowest >= cr.cert_lo:
            cert = cr.cert_lo_pts
        else:
            cert = 0
    else:
        cert = 0
    cert_tot = cert if cert < cr.cert_cap else cr.cert_cap
    tr_sum = e_tot + f_tot + cert_tot
    transfer = tr_sum if tr_sum < cr.section_cap else cr.section_cap
    bd["transferability.education_language"] = e_lang
    bd["transferability.education_canadian_work"] = e_cw
    bd["transferability.education_uncapped"] = e_sum
    bd["transferability.education"] = e_tot
    bd["transferability.foreign_work_language"] = f_lang
    bd["transferability.foreign_work_canadian_work"] = f_cw
    bd["transferability.foreign_work_uncapped"] = f_sum
    bd["transferability.foreign_work"] = f_tot
    bd["transferability.certificate_language_uncapped"] = cert
    bd["transferability.certificate_language"] = cert_tot
    bd["transferability.uncapped"] = tr_sum
    bd["transferability.total"] = transfer

    return int(transfer)


def _additional(p: CRSProfile, c: _Compiled, cr: _CompiledRuleSet, bd: dict[str, int]) -> int:
    """D. Additional points (nomination, job offer, Canadian education, French, sibling; capped)."""
    fl = p.first_language
    sl = p.second_language
    nom = c.nomination if p.nomination else 0
    job = c.ae[p.arranged_employment]
    cedu = c.cdn_edu[p.canadian_education]
    sib = c.sibling if p.sibling else 0
    fr_lang: tuple[int, int, int, int] | None
    en_lang: tuple[int, int, int, int] | None
    if p.first_language_code == "fr":
        fr_lang, en_lang = fl, sl
    else:
        fr_lang, en_lang = sl, fl
    french = 0
    if fr_lang is not None:
        n = c.french_nclc
        if fr_lang[0] >= n and fr_lang[1] >= n and fr_lang[2] >= n and fr_lang[3] >= n:
            m = c.french_clb_en
            if (
                en_lang is not None
                and en_lang[0] >= m
                and en_lang[1] >= m
                and en_lang[2] >= m
                and en_lang[3] >= m
            ):
                french = c.french_upper
            else:
                french = c.french_lower
    add_sum = nom + job + cedu + french + sib
    additional = add_sum if add_sum < cr.add_cap else cr.add_cap
    bd["additional.nomination"] = nom
    bd["additional.job_offer"] = job
    bd["additional.canadian_education"] = cedu
    bd["additional.french"] = french
    bd["additional.sibling"] = sib
    bd["additional.uncapped"] = add_sum
    bd["additional.total"] = additional

    return int(additional)


def score(profile: CRSProfile, rules: RuleSet) -> CRSResult:
    """Score one profile under one rule set. Returns totals per section and a full breakdown."""
    cr = _compiled(rules)
    c = cr.cols[0] if profile.with_spouse else cr.cols[1]
    bd: dict[str, int] = {}
    core = _core(profile, c, bd)
    spouse = _spouse(profile, c, bd)
    transfer = _transferability(profile, cr, bd)
    additional = _additional(profile, c, cr, bd)
    bd["core.total"] = core
    bd["spouse.total"] = spouse
    total = core + spouse + transfer + additional
    return CRSResult(
        total=total,
        rule_set=rules.id,
        sections={"core": core, "spouse": spouse, "transferability": transfer, "additional": additional},
        breakdown=bd,
    )


def score_total(profile: CRSProfile, rules: RuleSet) -> int:
    """Just the total (convenience for what-if and next-change searches)."""
    return score(profile, rules).total


def section_maxima(with_spouse: bool) -> dict[str, Any]:
    """Section maxima under the current tables (core 460/500, spouse 40/0, transferability 100, additional 600)."""
    return {
        "core": 460 if with_spouse else 500,
        "spouse": 40 if with_spouse else 0,
        "transferability": 100,
        "additional": 600,
    }
