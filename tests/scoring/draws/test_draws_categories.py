"""drawName -> category key + CSV version label; drawText2 -> programs; eligibility basis."""

import csv
from datetime import date
from pathlib import Path

import pytest

from scoring.draws import (
    CATEGORY_VERSIONS,
    NOC_CSV_CATEGORY,
    VERSION_2023,
    VERSION_2025,
    VERSION_2026,
    eligibility_basis,
    map_draw_name,
    parse_programs,
)

CSV_PATH = Path(__file__).resolve().parents[3] / "scoring" / "data" / "categories_noc_by_version.csv"


@pytest.mark.parametrize(
    ("name", "on", "category", "version"),
    [
        ("No Program Specified", date(2020, 1, 8), "no_program", None),
        ("Canadian Experience Class", date(2026, 8, 5), "cec", None),
        ("Provincial Nominee Program", date(2026, 8, 4), "pnp", None),
        ("Federal Skilled Trades", date(2020, 8, 6), "fst", None),
        ("Federal Skilled Worker", date(2023, 2, 2), "fsw", None),
        ("General", date(2024, 4, 23), "general", None),
        ("Healthcare occupations (Version 1)", date(2023, 6, 28), "healthcare", VERSION_2023),
        ("Healthcare occupations (Version 1)", date(2024, 11, 20), "healthcare", VERSION_2023),
        ("STEM occupations (Version 1)", date(2023, 7, 5), "stem", VERSION_2023),
        ("French language proficiency (Version 1)", date(2023, 7, 7), "french", VERSION_2023),
        ("French language proficiency (Version 1)", date(2025, 12, 17), "french", VERSION_2025),
        ("Trade occupations (Version 1)", date(2023, 8, 3), "trades", VERSION_2023),
        ("Transport occupations (Version 1)", date(2023, 9, 20), "transport", VERSION_2023),
        ("Agriculture and agri-food occupations (Version 1)", date(2023, 9, 28), "agriculture", VERSION_2023),
        ("Education occupations (Version 1)", date(2025, 5, 1), "education", VERSION_2025),
        (
            "Healthcare and social services occupations (Version 2)",
            date(2025, 5, 2),
            "healthcare",
            VERSION_2025,
        ),
        ("Trade occupations (Version 2)", date(2025, 9, 18), "trades", VERSION_2025),
        ("French-Language proficiency 2026-Version 2", date(2026, 2, 6), "french", VERSION_2026),
        (
            "Physicians with Canadian Work Experience, 2026-Version 1",
            date(2026, 2, 19),
            "physicians",
            VERSION_2026,
        ),
        (
            "Healthcare and Social Services Occupations, 2026-Version 3",
            date(2026, 2, 20),
            "healthcare",
            VERSION_2026,
        ),
        (
            "Senior managers with Canadian Work Experience, 2026-Version 1",
            date(2026, 3, 5),
            "senior_managers",
            VERSION_2026,
        ),
        ("Trades Occupations, 2026-Version 3", date(2026, 4, 2), "trades", VERSION_2026),
        ("Skilled Military Recruits, 2026-Version 1", date(2026, 7, 23), "military", VERSION_2026),
        ("Transport Occupations, 2026-Version 2", date(2026, 8, 7), "transport", VERSION_2026),
        ("French language proficiency (2023-1)", date(2023, 7, 7), "french", VERSION_2023),
    ],
)
def test_known_names(name, on, category, version):
    mapping = map_draw_name(name, on)
    assert (mapping.category, mapping.version) == (category, version)
    assert mapping.warnings == ()


@pytest.mark.parametrize(
    "name",
    [
        "  french-language   PROFICIENCY  (version 1) ",
        "French Language Proficiency (Version 1)",
        "French\u2013language proficiency (Version\u00a01)",
        "French language proficiency, Version 1",
        "french language proficiency(Version 1)",
    ],
)
def test_tolerant_normalisation(name):
    mapping = map_draw_name(name, date(2024, 1, 1))
    assert (mapping.category, mapping.version) == ("french", VERSION_2023)


@pytest.mark.parametrize(
    "name",
    ["Express Entry", "Healthcare", "Nurses occupations (Version 1)", "Francophone mobility", "", "   "],
)
def test_unknown_names_are_not_guessed(name):
    mapping = map_draw_name(name, date(2026, 8, 7))
    assert mapping.category == "unknown"
    assert mapping.version is None
    assert mapping.warnings


def test_tag_year_without_lists_gives_no_version():
    mapping = map_draw_name("Trades Occupations, 2027-Version 4", date(2027, 3, 1))
    assert mapping.category == "trades"
    assert mapping.version is None
    assert mapping.warnings


def test_untabled_tag_falls_back_to_date_with_warning():
    mapping = map_draw_name("STEM occupations (Version 2)", date(2025, 6, 1))
    assert (mapping.category, mapping.version) == ("stem", VERSION_2025)
    assert any("version table" in w for w in mapping.warnings)


def test_version_keys_and_categories_match_the_crs_rules_and_the_csv():
    from scoring.crs.categories import VERSIONS_BY_KEY

    assert {v.label for v in CATEGORY_VERSIONS} == set(VERSIONS_BY_KEY)
    with CSV_PATH.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    csv_pairs = {(r["version"], r["category"]) for r in rows}
    csv_label = {key: v.csv_label for key, v in VERSIONS_BY_KEY.items()}
    assert {r["version"] for r in rows} == set(csv_label.values())
    for version in CATEGORY_VERSIONS:
        expected = {NOC_CSV_CATEGORY[key] for key in version.categories if NOC_CSV_CATEGORY[key] is not None}
        assert expected == {c for v, c in csv_pairs if v == csv_label[version.label]}, version.label


@pytest.mark.parametrize(
    ("text", "programs"),
    [
        (
            "Federal Skilled Worker Program, Canadian Experience Class and Federal Skilled Trades Program",
            ["fsw", "cec", "fst"],
        ),
        (
            "Federal Skilled Worker, Canadian Experience Class, Federal Skilled Trades and Provincial Nominee Program",
            ["fsw", "cec", "fst", "pnp"],
        ),
        ("Provincial Nominee Program", ["pnp"]),
        ("Canadian Experience Class", ["cec"]),
        ("Federal Skilled Trades", ["fst"]),
        ("Federal Skilled Worker", ["fsw"]),
        ("  canadian   experience class ", ["cec"]),
        ("", []),
    ],
)
def test_programs(text, programs):
    assert parse_programs(text) == programs


def test_eligibility_basis():
    assert eligibility_basis("pnp").kind == "nomination"
    assert eligibility_basis("cec").programs == ("cec",)
    assert eligibility_basis("fsw").programs == ("fsw",)
    assert eligibility_basis("fst").programs == ("fst",)
    for key in ("general", "no_program"):
        basis = eligibility_basis(key)
        assert (basis.kind, basis.programs) == ("program", ("fsw", "cec", "fst"))
    trades = eligibility_basis("trades", VERSION_2026)
    assert (trades.kind, trades.category, trades.version) == ("category", "trades", VERSION_2026)
    assert trades.noc_csv_category == "trade"
    assert trades.requires_noc_list
    assert trades.programs == ("fsw", "cec", "fst")
    assert "12 months" in trades.note
    assert "6 months" in eligibility_basis("healthcare", VERSION_2023).note
    french = eligibility_basis("french", VERSION_2026)
    assert not french.requires_noc_list
    assert eligibility_basis("senior_managers", VERSION_2026).noc_csv_category == "senior-managers"
    unknown = eligibility_basis("unknown")
    assert (unknown.kind, unknown.programs) == ("unknown", ())
