"""NOC 2021 titles for the job-title search of the work history (data, not code).

`data/noc2021_titles.csv` holds only the 130 occupations listed in the Express Entry category lists
(`scoring/data/categories_noc_by_version.csv`, with their sources): the repository has no full NOC 2021
list. A client whose occupation is not there types the 5-digit code (checked by `firm.validators`).
Source of the full list: Statistics Canada, NOC 2021 Version 1.0.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "noc2021_titles.csv"
COMPLETE = False  # see the module docstring


@dataclass(frozen=True)
class Occupation:
    code: str
    teer: int
    title: str

    @property
    def option(self) -> str:
        return f"{self.title} ({self.code})"


@cache
def occupations() -> tuple[Occupation, ...]:
    with DATA.open(encoding="utf-8") as fh:
        return tuple(Occupation(r["noc_2021"], int(r["teer"]), r["title"]) for r in csv.DictReader(fh))


def search(text: str, limit: int = 20) -> list[Occupation]:
    words = [w for w in text.lower().split() if w]
    found = [o for o in occupations() if all(w in f"{o.title} {o.code}".lower() for w in words)]
    return found[:limit]
