"""The client's stored facts in the questionnaire's shape (the prefill, and the side staff compare with),
and the draft as the one facts adapter's input (unsaved model instances: no second mapping).
"""

from __future__ import annotations

from typing import Any

from firm.models import Client, Education, JobOffer, LanguageTest, ProvincialNomination, WorkExperience
from firm.people import FamilyMember, ResidencePeriod, StatusDocument
from questionnaire.sections import SECTION_BY_KEY, SECTIONS, SectionError, Table, clean_row, to_json

# Fields shown to staff but not stored anywhere (no address field on a residence period).
INFO_ONLY = frozenset({"address"})

FACT_TABLE_MODELS: dict[str, tuple[type, str]] = {
    "language_tests": (LanguageTest, "languagetests"),
    "educations": (Education, "educations"),
    "work": (WorkExperience, "workexperiences"),
    "job_offers": (JobOffer, "joboffers"),
    "nominations": (ProvincialNomination, "provincialnominations"),
}


def stored_rows(client: Client, table: str) -> list[Any]:
    """The stored rows a table stands for, oldest first."""
    if table in FACT_TABLE_MODELS:
        model, _ = FACT_TABLE_MODELS[table]
        return list(model.objects.filter(client=client).order_by("pk"))
    if table == "children":
        return list(FamilyMember.objects.filter(client=client, relationship="child").order_by("pk"))
    if table == "residences":
        return list(ResidencePeriod.objects.filter(client=client, member=None).order_by("pk"))
    if table == "passport":
        return list(StatusDocument.objects.filter(client=client, member=None, kind="passport").order_by("pk"))
    raise KeyError(table)


def _canonical_row(table: Table, obj: Any) -> dict[str, Any]:
    data = dict(table.row(obj).data)
    try:
        typed = clean_row(table, data, table.name)
    except SectionError:  # stored before today's checks: shown as stored
        typed = data
    return {"id": obj.pk, **to_json({k: v for k, v in typed.items() if k != "id"})}


def stored_section(client: Client, key: str) -> dict[str, Any]:
    """One section of the stored file, as JSON, rows carrying their stored `id`."""
    section = SECTION_BY_KEY[key]
    out: dict[str, Any] = {}
    if section.fields is not None:
        data = dict(section.fields(client).data)
        checker = section.fields(data=data)
        out.update(to_json(checker.validated_data if checker.is_valid() else data))
    for table in section.tables:
        out[table.name] = [_canonical_row(table, obj) for obj in stored_rows(client, table.name)]
    return out


def stored_sections(client: Client) -> dict[str, dict[str, Any]]:
    return {s.key: stored_section(client, s.key) for s in SECTIONS}


def comparable(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: v for k, v in row.items() if k != "id" and k not in INFO_ONLY}


# --- The draft as the adapter's input --------------------------------------------------------------------

_FAKE_PK = 10**15  # rows the client added get pks no stored row has (never saved)


def draft_client(client: Client, typed: dict[str, dict[str, Any]]) -> Client:
    """An unsaved copy of `client` carrying the draft's answers, with its fact relations prefetched from
    the draft: what `firm.facts.snapshot_of` (the one adapter) reads for a stored client."""
    copy = Client(**{f.attname: getattr(client, f.attname) for f in Client._meta.concrete_fields})
    for key in ("identity", "family", "funds"):
        for name, value in typed.get(key, {}).items():
            if name in {f.name for f in Client._meta.concrete_fields}:
                setattr(copy, name, value)
    cache: dict[str, list[Any]] = {}
    for table, (model, relation) in FACT_TABLE_MODELS.items():
        section_key = next(s.key for s in SECTIONS if any(t.name == table for t in s.tables))
        rows = []
        for i, row in enumerate(typed.get(section_key, {}).get(table, [])):
            values = {k: v for k, v in row.items() if k != "id"}
            obj = model(client=copy, **values)
            obj.pk = row.get("id") or _FAKE_PK + i
            rows.append(obj)
        cache[relation] = rows
    copy._prefetched_objects_cache = cache  # type: ignore[attr-defined]
    return copy
