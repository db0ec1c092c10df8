"""The one adapter: a client's stored rows, read once, as one immutable snapshot.

Every consumer of a client's facts takes a :class:`ClientSnapshot`: the CRS engine and program and
category eligibility (through ``firm.facts.crs.person_facts``), every pathway assessor (through
``firm.facts.pathways.client_facts``), the what-if, the questionnaire preview. Nothing else reads the
fact tables to feed an engine.

* ``load_snapshots(client_ids)`` reads many clients in six queries (``values_list``, no model
  instances); ``snapshot_of(client)`` maps one ``Client`` (prefetch with ``with_facts(queryset)``).
* Rows are ordered by primary key, so a snapshot (and any hash built from it) does not depend on the
  database's row order. Only current job offers are kept.
* Language results carry their CLB/NCLC levels (``clb``, converted once here with
  ``scoring.crs.language``); None when the scores cannot be converted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from firm.fields import CLIENT_FACT_FIELDS
from firm.models import Client, Education, JobOffer, LanguageTest, ProvincialNomination, WorkExperience
from firm.people import FamilyMember
from scoring.crs.language import ABILITIES, LanguageScoreError, convert, official_language

PARTNERED = frozenset({"married", "common_law"})
FACT_RELATIONS = ("languagetests", "educations", "workexperiences", "joboffers", "provincialnominations")


def _number(value: Any) -> Any:
    """A stored Decimal as the engines want it: int when whole (CELPIP 10), else float (IELTS 6.5)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _country(value: Any) -> str | None:
    code = getattr(value, "code", value)
    return str(code).upper() if code else None


def _countries(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v]
    return tuple(sorted(c for c in (_country(v) for v in value or ()) if c))


@dataclass(frozen=True, slots=True)
class LanguageRow:
    person: str  # principal | spouse
    test: str
    test_date: date
    role: str  # first | second
    scores: tuple[tuple[str, Any], ...]  # (ability, raw score) in ABILITIES order
    clb: tuple[int, int, int, int] | None  # CLB/NCLC per ability; None: not convertible
    language: str | None  # en | fr

    @property
    def raw(self) -> dict[str, Any]:
        return dict(self.scores)


@dataclass(frozen=True, slots=True)
class EducationRow:
    person: str
    level: str  # firm.constants.EducationLevel
    in_canada: bool
    program_years: int | None
    completed_on: date | None
    eca_date: date | None
    full_time_in_canada: bool  # the Canadian-study condition of the Canadian-education points
    field_of_study: str
    country: str | None


@dataclass(frozen=True, slots=True)
class WorkRow:
    person: str
    noc_code: str
    teer: int | None
    in_canada: bool
    country: str | None
    start_date: date
    end_date: date | None
    hours_per_week: float
    paid: bool
    self_employed: bool
    work_authorized: bool
    while_full_time_student: bool
    province: str
    employer: str
    job_title: str
    capacity: str


@dataclass(frozen=True, slots=True)
class OfferRow:
    """A current job offer (the snapshot keeps only current ones)."""

    noc_code: str
    teer: int | None
    full_time: bool
    permanent: bool
    duration_months: int | None
    lmia_number: str
    lmia_exempt: bool
    offered_on: date | None
    start_date: date | None
    province: str
    employer: str
    job_title: str
    hourly_wage: float | None
    annual_wage: float | None
    hours_per_week: float | None
    pk: int

    @property
    def supported(self) -> bool | None:
        """Backed by an LMIA (a number is recorded) or LMIA-exempt; otherwise unknown."""
        return True if (self.lmia_number or self.lmia_exempt) else None

    @property
    def counts_from(self) -> date | None:
        return self.offered_on or self.start_date


@dataclass(frozen=True, slots=True)
class NominationRow:
    province: str
    stream: str
    nominated_on: date
    expires_on: date | None
    enhanced: bool  # Express Entry-linked (only these give the 600 CRS points)
    pk: int

    def active(self, as_of: date) -> bool:
        return self.nominated_on <= as_of and (self.expires_on is None or as_of <= self.expires_on)


@dataclass(frozen=True, slots=True)
class ClientSnapshot:
    """One client's stored facts. Immutable; the tuples hold both people's rows (``person``)."""

    client_id: int
    firm_id: int
    date_of_birth: date | None
    marital_status: str
    spouse_accompanying: bool
    spouse_canadian: bool
    sibling_in_canada: bool
    certificate_of_qualification: bool
    settlement_funds_cad: int | None
    family_size: int | None
    intended_province: str
    citizenships: tuple[str, ...]
    country_of_residence: str | None
    ee_profile_submitted_on: date | None
    language: tuple[LanguageRow, ...] = ()
    education: tuple[EducationRow, ...] = ()
    work: tuple[WorkRow, ...] = ()
    offers: tuple[OfferRow, ...] = ()
    nominations: tuple[NominationRow, ...] = ()

    @property
    def partnered(self) -> bool:
        return self.marital_status in PARTNERED

    def languages_of(self, person: str) -> tuple[LanguageRow, ...]:
        return tuple(r for r in self.language if r.person == person)

    def education_of(self, person: str) -> tuple[EducationRow, ...]:
        return tuple(r for r in self.education if r.person == person)

    def work_of(self, person: str) -> tuple[WorkRow, ...]:
        return tuple(r for r in self.work if r.person == person)


# ------------------------------------------------------------------------------------------------------
# Rows -> records
# ------------------------------------------------------------------------------------------------------

_LANG_COLS = ("person", "test", "test_date", "role", *ABILITIES)
_EDU_COLS = (
    "person",
    "level",
    "in_canada",
    "program_years",
    "completed_on",
    "eca_date",
    "full_time_in_canada",
    "field_of_study",
    "country",
)
_WORK_COLS = (
    "person",
    "noc_code",
    "teer",
    "in_canada",
    "country",
    "start_date",
    "end_date",
    "hours_per_week",
    "paid",
    "self_employed",
    "work_authorized",
    "while_full_time_student",
    "province",
    "employer",
    "job_title",
    "capacity",
)
_OFFER_COLS = (
    "noc_code",
    "teer",
    "full_time",
    "permanent",
    "duration_months",
    "lmia_number",
    "lmia_exempt",
    "offered_on",
    "start_date",
    "province",
    "employer",
    "job_title",
    "hourly_wage",
    "annual_wage",
    "hours_per_week",
    "pk",
)
_NOMINATION_COLS = ("province", "stream", "nominated_on", "expires_on", "enhanced", "pk")


def _language(person: str, test: str, test_date: date, role: str, *raw: Any) -> LanguageRow:
    scores = tuple(zip(ABILITIES, (_number(v) for v in raw), strict=True))
    try:
        clb: tuple[int, int, int, int] | None = convert(test, dict(scores), test_date)
        language: str | None = official_language(test)
    except LanguageScoreError:
        clb, language = None, None
    return LanguageRow(person, test, test_date, role or "", scores, clb, language)


def _education(
    person: str,
    level: str,
    in_canada: bool,
    program_years: int | None,
    completed_on: date | None,
    eca_date: date | None,
    full_time_in_canada: bool,
    field_of_study: str | None,
    country: Any,
) -> EducationRow:
    return EducationRow(
        person=person,
        level=level,
        in_canada=in_canada,
        program_years=program_years,
        completed_on=completed_on,
        eca_date=eca_date,
        full_time_in_canada=full_time_in_canada,
        field_of_study=field_of_study or "",
        country=_country(country),
    )


def _work(*row: Any) -> WorkRow:
    values = dict(zip(_WORK_COLS, row, strict=True))
    return WorkRow(
        person=values["person"],
        noc_code=values["noc_code"] or "",
        teer=values["teer"],
        in_canada=values["in_canada"],
        country=_country(values["country"]),
        start_date=values["start_date"],
        end_date=values["end_date"],
        hours_per_week=float(values["hours_per_week"]),
        paid=values["paid"],
        self_employed=values["self_employed"],
        work_authorized=values["work_authorized"],
        while_full_time_student=values["while_full_time_student"],
        province=values["province"] or "",
        employer=values["employer"] or "",
        job_title=values["job_title"] or "",
        capacity=values["capacity"] or "",
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _offer(*row: Any) -> OfferRow:
    values = dict(zip(_OFFER_COLS, row, strict=True))
    for name in ("hourly_wage", "annual_wage", "hours_per_week"):
        values[name] = _float(values[name])
    return OfferRow(**values)


def _submitted_on(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _family_size(recorded: int | None, members: int) -> int | None:
    """The client, the spouse or partner and every dependent child, accompanying or not (IRCC proof of
    funds): counted from the family members when recorded, else the recorded number; never guessed."""
    return 1 + members if members else recorded


def _snapshot(values: dict[str, Any], members: int = 0, **facts: tuple[Any, ...]) -> ClientSnapshot:
    funds = values["settlement_funds_cad"]
    return ClientSnapshot(
        client_id=values["pk"],
        firm_id=values["firm_id"],
        date_of_birth=values["date_of_birth"],
        marital_status=values["marital_status"],
        spouse_accompanying=values["spouse_accompanying"],
        spouse_canadian=values["spouse_canadian"],
        sibling_in_canada=values["sibling_in_canada"],
        certificate_of_qualification=values["certificate_of_qualification"],
        settlement_funds_cad=int(funds) if funds is not None else None,
        family_size=_family_size(values["family_size"], members),
        intended_province=values["intended_province"] or "",
        citizenships=_countries(values["citizenships"]),
        country_of_residence=_country(values["country_of_residence"]),
        ee_profile_submitted_on=_submitted_on(values["ee_profile_submitted_at"]),
        **facts,
    )


_SNAPSHOT_CLIENT_COLS = ("pk", "firm_id", *CLIENT_FACT_FIELDS, "ee_profile_submitted_at")


# ------------------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------------------


def load_snapshots(client_ids: Iterable[int]) -> dict[int, ClientSnapshot]:
    """The snapshots of many clients in six queries. Clients that do not exist are absent."""
    ids = list(client_ids)
    if not ids:
        return {}
    clients = {row["pk"]: row for row in Client.objects.filter(pk__in=ids).values(*_SNAPSHOT_CLIENT_COLS)}
    if not clients:
        return {}
    keys = list(clients)
    rows: dict[str, dict[int, list[Any]]] = {k: {c: [] for c in keys} for k in FACT_KINDS}

    def read(kind: str, model: Any, cols: tuple[str, ...], make: Any, **filters: Any) -> None:
        qs = model.objects.filter(client_id__in=keys, **filters).order_by("pk")
        for client_id, *rest in qs.values_list("client_id", *cols).iterator(2000):
            rows[kind][client_id].append(make(*rest))

    read("language", LanguageTest, _LANG_COLS, _language)
    read("education", Education, _EDU_COLS, _education)
    read("work", WorkExperience, _WORK_COLS, _work)
    read("offers", JobOffer, _OFFER_COLS, _offer, is_current=True)
    read("nominations", ProvincialNomination, _NOMINATION_COLS, NominationRow)
    members = dict(
        FamilyMember.objects.filter(client_id__in=keys)
        .values("client_id")
        .annotate(n=Count("pk"))
        .values_list("client_id", "n")
    )
    return {
        cid: _snapshot(values, members.get(cid, 0), **{kind: tuple(rows[kind][cid]) for kind in FACT_KINDS})
        for cid, values in clients.items()
    }


FACT_KINDS = ("language", "education", "work", "offers", "nominations")


def load_snapshot(client_id: int) -> ClientSnapshot | None:
    return load_snapshots([client_id]).get(client_id)


def with_facts(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """Prefetch the fact relations ``snapshot_of`` reads (five queries for any number of clients)."""
    return queryset.prefetch_related(*FACT_RELATIONS)


def snapshot_of(client: Client) -> ClientSnapshot:
    """The snapshot of one Client instance and its facts (prefetched with ``with_facts``, or lazily)."""

    def ordered(manager: Any) -> list[Any]:
        return sorted(manager.all(), key=lambda r: r.pk)

    def cols(obj: Any, names: tuple[str, ...]) -> list[Any]:
        return [getattr(obj, n) for n in names]

    values = {name: getattr(client, name) for name in _SNAPSHOT_CLIENT_COLS}
    return _snapshot(
        values,
        FamilyMember.objects.filter(client_id=client.pk).count(),
        language=tuple(_language(*cols(r, _LANG_COLS)) for r in ordered(client.languagetests)),
        education=tuple(_education(*cols(r, _EDU_COLS)) for r in ordered(client.educations)),
        work=tuple(_work(*cols(r, _WORK_COLS)) for r in ordered(client.workexperiences)),
        offers=tuple(_offer(*cols(r, _OFFER_COLS)) for r in ordered(client.joboffers) if r.is_current),
        nominations=tuple(
            NominationRow(*cols(r, _NOMINATION_COLS)) for r in ordered(client.provincialnominations)
        ),
    )
