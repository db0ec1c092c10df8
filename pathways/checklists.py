"""A pathway's checklist, expanded for the people of the file: each person's passport, a police
certificate per person of 18 or more per country of 6+ months in a row since 18, a reference letter per
job, a marriage certificate when there is a spouse, a birth certificate per child...

The items and their `per`/`when` come from pathways/data/checklists.json (with sources); this module
only multiplies them out. `checklist_requests` is pure; `case_checklist_requests` reads the file's
people, residences and jobs.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pathways.rules.types import ChecklistItem


@dataclass(frozen=True)
class FilePerson:
    member_id: int | None  # None: the principal applicant
    name: str
    relationship: str  # principal, spouse, common_law, child
    date_of_birth: date | None
    accompanying: bool = True


@dataclass(frozen=True)
class Stay:
    member_id: int | None
    country: str
    start: date
    end: date | None


@dataclass(frozen=True)
class Job:
    work_id: int
    employer: str


@dataclass(frozen=True)
class Request:
    kind: str
    label: str
    key_suffix: str
    member_id: int | None
    source: str


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def police_countries(person: FilePerson, stays: Iterable[Stay], today: date) -> list[str]:
    """Countries other than Canada where the person stayed 6 or more months in a row since turning 18."""
    if person.date_of_birth is None:
        adult_from = date.min
    else:
        dob = person.date_of_birth
        adult_from = date(dob.year + 18, dob.month, 28 if (dob.month, dob.day) == (2, 29) else dob.day)
    out: list[str] = []
    for stay in stays:
        if stay.member_id != person.member_id or stay.country.upper() == "CA":
            continue
        start, end = max(stay.start, adult_from), min(stay.end or today, today)
        if end >= add_months(start, 6) and stay.country not in out:
            out.append(stay.country)
    return sorted(out)


def _age(person: FilePerson, today: date) -> int | None:
    dob = person.date_of_birth
    if dob is None:
        return None
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _applies(item: ChecklistItem, *, people: Sequence[FilePerson], streams: set[str]) -> bool:
    relationships = {p.relationship for p in people}
    for cond in item.when:
        if cond == "married" and "spouse" not in relationships:
            return False
        if cond == "common_law" and "common_law" not in relationships:
            return False
        if cond.startswith("stream:") and not (set(cond[7:].split(",")) & streams):
            return False
    return True


def _who(item: ChecklistItem, people: Sequence[FilePerson]) -> list[FilePerson]:
    principal = [p for p in people if p.member_id is None]
    spouse = [p for p in people if p.relationship in ("spouse", "common_law")]
    children = [p for p in people if p.relationship == "child"]
    return {
        "principal": principal,
        "spouse": spouse,
        "each_child": children,
        "each_person": list(people),
        "each_accompanying": [p for p in people if p.member_id is None or p.accompanying],
    }.get(item.per, principal)


def checklist_requests(
    items: Iterable[ChecklistItem],
    *,
    people: Sequence[FilePerson],
    stays: Sequence[Stay] = (),
    jobs: Sequence[Job] = (),
    streams: Iterable[str] = (),
    today: date,
) -> list[Request]:
    """The documents to request: one per required item and person (or country, or job) it applies to."""
    wanted = {s.strip().lower() for s in streams if s}
    out: list[Request] = []
    for item in items:
        if not item.required or not _applies(item, people=people, streams=wanted):
            continue
        if item.per == "each_job":
            out.extend(
                Request(item.kind, f"{item.label} — {j.employer}", f"w{j.work_id}", None, item.source)
                for j in jobs
            )
            continue
        if item.per == "each_police_country":
            for person in people:
                age = _age(person, today)
                if person.member_id is not None and age is not None and age < 18:
                    continue
                for country in police_countries(person, stays, today):
                    suffix = country if person.member_id is None else f"m{person.member_id}:{country}"
                    label = f"{item.label} ({country}) — {person.name}"
                    out.append(Request(item.kind, label, suffix, person.member_id, item.source))
            continue
        for person in _who(item, people):
            if person.member_id is None:
                out.append(Request(item.kind, item.label, "", None, item.source))
            else:
                label = f"{item.label} — {person.name}"
                out.append(Request(item.kind, label, f"m{person.member_id}", person.member_id, item.source))
    return out


def case_file_people(client_id: int) -> tuple[list[FilePerson], list[Stay], list[Job]]:
    """The people, stays and jobs of a client's file, read from the database."""
    from firm.models import Client, FamilyMember, ResidencePeriod, WorkExperience

    client = Client.objects.get(pk=client_id)
    people = [FilePerson(None, client.full_name, "principal", client.date_of_birth)]
    people += [
        FilePerson(m.pk, m.full_name, m.relationship, m.date_of_birth, m.accompanying)
        for m in FamilyMember.objects.filter(client_id=client_id).order_by("pk")
    ]
    stays = [
        Stay(r.member_id, str(r.country), r.start_date, r.end_date)
        for r in ResidencePeriod.objects.filter(client_id=client_id)
    ]
    jobs = [
        Job(w.pk, w.employer or w.job_title or w.noc_code)
        for w in WorkExperience.objects.filter(client_id=client_id, person="principal").order_by(
            "-start_date"
        )
    ]
    return people, stays, jobs
