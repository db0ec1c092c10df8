from scoring.crs.engine import CRSProfile
from scoring.crs.rulesets import CRS_2025_03_25
from scoring.crs.whatif import improvements, whatif

BASE = {
    "as_of": "2026-08-01",
    "age": 29,
    "education": "bachelors",
    "first_language": {"test": "ielts", "listening": 8, "reading": 7, "writing": 6.5, "speaking": 7},
}


def test_whatif_items():
    out = whatif(BASE)
    items = {i["key"]: i for i in out["improvements"]}
    assert items["first_language.writing"]["label"] == "CLB 9 in writing"
    assert "first_language.listening" in items
    assert items["provincial_nomination"]["delta"] == 600
    assert items["second_language.nclc_7"]["label"].startswith("Take a French test at NCLC 7")
    assert items["second_language.nclc_7"]["delta"] == 12 + 50
    assert "arranged_employment" not in items  # no points since 2025-03-25
    for i in out["improvements"]:
        assert i["new_total"] - out["total"] == i["delta"] >= 0


def test_whatif_skips_impossible():
    p = CRSProfile(
        age=29,
        education="phd",
        first_language=(10, 10, 10, 10),
        nomination=True,
        sibling=True,
        canadian_education="three_year_or_more",
        certificate_of_qualification=True,
        second_language=(9, 9, 9, 9),
    )
    keys = {i.key for i in improvements(p, CRS_2025_03_25)}
    assert not any(k.startswith("first_language") or k.startswith("second_language") for k in keys)
    assert not keys & {
        "education",
        "provincial_nomination",
        "sibling_in_canada",
        "certificate_of_qualification",
    }
    assert not any(k.startswith("canadian_education") for k in keys)


def test_whatif_errors():
    assert "error" in whatif({"age": 1})
    assert "error" in whatif("nope")


def test_canadian_credential_line_is_the_full_score_difference():
    """Secondary school only: a Canadian 3+ year credential also raises the education level, so its line is
    the whole difference of the changed profile (about +120), and it ranks above the 1-2 year one (issue 12)."""
    import dataclasses

    from scoring.crs.engine import score

    p = CRSProfile(age=29, education="secondary", first_language=(9, 9, 9, 9), foreign_work_years=3)
    items = {i.key: i for i in improvements(p, CRS_2025_03_25)}
    base = score(p, CRS_2025_03_25).total
    three = items["canadian_education.three_year_or_more"]
    changed = dataclasses.replace(p, education="bachelors", canadian_education="three_year_or_more")
    assert three.delta == score(changed, CRS_2025_03_25).total - base
    assert three.delta > 100
    one = items["canadian_education.one_or_two_year"]
    assert one.delta == (
        score(
            dataclasses.replace(p, education="one_year", canadian_education="one_or_two_year"), CRS_2025_03_25
        ).total
        - base
    )
    assert three.delta > one.delta
    ranked = [i["key"] for i in whatif({**BASE, "education": "secondary"})["improvements"]]
    assert ranked.index("canadian_education.three_year_or_more") < ranked.index(
        "canadian_education.one_or_two_year"
    )
