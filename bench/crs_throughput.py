"""CRS engine throughput: score N varied profiles on one core and print profiles/second.

Usage: .venv/bin/python bench/crs_throughput.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.crs.engine import CRSProfile, score
from scoring.crs.rulesets import (
    ARRANGED_EMPLOYMENT_LEVELS,
    CANADIAN_EDUCATION_LEVELS,
    CRS_2020_10_27,
    CRS_2025_03_25,
    EDUCATION_LEVELS,
)


def build_profiles(n: int, seed: int = 42) -> list[CRSProfile]:
    rng = random.Random(seed)

    def levels() -> tuple[int, int, int, int]:
        return (rng.randint(3, 12), rng.randint(3, 12), rng.randint(3, 12), rng.randint(3, 12))

    out = []
    for _ in range(n):
        with_spouse = rng.random() < 0.4
        out.append(
            CRSProfile(
                age=rng.randint(17, 50),
                education=rng.choice(EDUCATION_LEVELS),
                first_language=levels(),
                first_language_code=rng.choice(("en", "en", "en", "fr")),
                second_language=levels() if rng.random() < 0.3 else None,
                with_spouse=with_spouse,
                canadian_work_years=rng.randint(0, 6),
                foreign_work_years=rng.randint(0, 6),
                certificate_of_qualification=rng.random() < 0.1,
                canadian_education=rng.choice(CANADIAN_EDUCATION_LEVELS),
                arranged_employment=rng.choice(ARRANGED_EMPLOYMENT_LEVELS),
                nomination=rng.random() < 0.1,
                sibling=rng.random() < 0.1,
                spouse_education=rng.choice(EDUCATION_LEVELS) if with_spouse else "none",
                spouse_language=levels() if with_spouse and rng.random() < 0.7 else None,
                spouse_canadian_work_years=rng.randint(0, 5) if with_spouse else 0,
            )
        )
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    profiles = build_profiles(n)
    rule_sets = (CRS_2025_03_25, CRS_2020_10_27)
    for rules in rule_sets:  # warm up / compile tables
        score(profiles[0], rules)
    best = 0.0
    checksum = 0
    for _ in range(3):
        start = time.perf_counter()
        checksum = 0
        for i, p in enumerate(profiles):
            checksum += score(p, rule_sets[i & 1]).total
        elapsed = time.perf_counter() - start
        best = max(best, n / elapsed)
    print(f"profiles={n} best_of_3={best:,.0f} profiles/second (checksum {checksum})")


if __name__ == "__main__":
    main()
