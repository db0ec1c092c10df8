"""Builds one demo client from a `Person`: facts, a case walked through its statuses on dated steps, the
assessment run on it (its checklist and key dates), documents in the state the case's stage implies
(rejections with their reason), deadlines and notes that fit the stage.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.constants import CASE_TRANSITIONS, DocumentKind
from cases.models import Case, CaseStatusChange, Deadline, Document, Note
from firm.management.commands._demo_people import Person
from firm.models import Client, Education, JobOffer, LanguageTest, ProvincialNomination, User, WorkExperience

# A one-page PDF (valid magic bytes), so demo documents can be downloaded.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
ORDER = ["intake", "assessment", "documents", "ready_to_file", "filed", "decision_pending"]
CLIENT_STATUS = {
    "intake": "prospect",
    "assessment": "prospect",
    "approved": "closed",
    "refused": "closed",
    "withdrawn": "closed",
    "closed": "closed",
}
REJECTIONS = {
    DocumentKind.PASSPORT: "The photo page is cut off; please upload the whole page, flat and in colour.",
    DocumentKind.LANGUAGE_TEST: "This is the Academic test report; Express Entry needs General Training.",
    DocumentKind.ECA: "The ECA report is more than five years old; please order a new one.",
    DocumentKind.REFERENCE_LETTER: "The letter does not give hours per week, duties or dates of employment.",
    DocumentKind.POLICE_CERTIFICATE: "Issued more than six months ago; please request a new certificate.",
    DocumentKind.PROOF_OF_FUNDS: "The statement covers one month; we need the last six months.",
}
REJECTED_DEFAULT = "The scan is too blurry to read; please upload a clearer copy."
# What the lawyer writes to a client who reads French (the firm writes to each client in their language).
REJECTIONS_FR = {
    DocumentKind.PASSPORT: "La page de la photo est coupée; téléversez la page entière, à plat et en couleur.",
    DocumentKind.LANGUAGE_TEST: "C'est le résultat du test général (Academic); Entrée express demande General Training.",
    DocumentKind.ECA: "Le rapport d'EDE a plus de cinq ans; il faut en commander un nouveau.",
    DocumentKind.REFERENCE_LETTER: "La lettre n'indique ni les heures par semaine, ni les tâches, ni les dates d'emploi.",
    DocumentKind.POLICE_CERTIFICATE: "Délivré il y a plus de six mois; demandez un nouveau certificat.",
    DocumentKind.PROOF_OF_FUNDS: "Le relevé couvre un mois; il nous faut les six derniers mois.",
}
REJECTED_DEFAULT_FR = "Le document numérisé est trop flou; téléversez une copie plus nette."


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def email_of(p: Person) -> str:
    return f"{ascii_slug(p.first)}.{ascii_slug(p.last)}@demo.maplecase.test"


def _years(today: date, years: float) -> date:
    return today - timedelta(days=int(years * 365.25))


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


def path_to(status: str) -> list[str]:
    """A walk through the allowed transitions from intake to `status`."""
    if status in ORDER:
        return ORDER[: ORDER.index(status) + 1]
    if status == "approved":
        return [*ORDER[:5], "approved"]
    if status == "refused":
        return [*ORDER, "refused"]
    if status == "withdrawn":
        return ["intake", "assessment", "documents", "withdrawn"]
    return [*ORDER[:5], "approved", "closed"]


def create_client(firm, p: Person, lawyer: User, today: date, index: int) -> Client:
    spouse_name, accompanying, canadian = p.spouse or ("", False, False)
    client = Client.objects.create(
        firm=firm,
        first_name=p.first,
        last_name=p.last,
        email=email_of(p),
        phone=f"+1 416 555 {1200 + index:04d}",
        date_of_birth=today - timedelta(days=p.age * 365 + 40 + (index * 37) % 300),
        citizenships=[p.country],
        country_of_residence="CA"
        if any(j.country == "CA" and j.end_years_ago is None for j in p.jobs)
        else p.country,
        marital_status=p.marital,
        spouse_name=spouse_name,
        spouse_accompanying=accompanying,
        spouse_canadian=canadian,
        sibling_in_canada=p.sibling,
        status=CLIENT_STATUS.get(p.status, "active"),
        assigned_lawyer=lawyer,
        preferred_language=p.language_pref,
        source=p.source,
        settlement_funds_cad=Decimal(18000 + (index * 7919) % 60000),
        family_size=2 if accompanying else 1,
        intended_province=next((j.province for j in p.jobs if j.province), "ON"),
    )
    _facts(client, p, today)
    return client


def _facts(client: Client, p: Person, today: date) -> None:
    test, (listening, reading, writing, speaking), months = p.language
    LanguageTest.objects.create(
        client=client,
        test=test,
        test_date=today - timedelta(days=months * 30),
        listening=Decimal(str(listening)),
        reading=Decimal(str(reading)),
        writing=Decimal(str(writing)),
        speaking=Decimal(str(speaking)),
        registration_number=f"{test.upper()}-{client.pk:06d}",
    )
    if p.opened_days_ago > 60:
        # The test they took first, now expired: it gives the score history its earlier points.
        LanguageTest.objects.create(
            client=client,
            test=test,
            test_date=today - timedelta(days=32 * 30),
            listening=Decimal(str(listening)) - (1 if test in ("celpip",) else 0),
            reading=Decimal(str(reading)) - (Decimal("0.5") if test == "ielts" else 0),
            writing=Decimal(str(writing)),
            speaking=Decimal(str(speaking)),
        )
    if p.french:
        LanguageTest.objects.create(
            client=client,
            test="tef",
            role="second",
            test_date=today - timedelta(days=200),
            **dict(
                zip(
                    ("listening", "reading", "writing", "speaking"),
                    map(Decimal, map(str, p.french)),
                    strict=True,
                )
            ),
        )
    level, field, institution, in_canada, years_ago = p.education
    completed = _years(today, years_ago)
    Education.objects.create(
        client=client,
        level=level,
        field_of_study=field,
        institution=institution,
        country="CA" if in_canada else p.country,
        in_canada=in_canada,
        full_time_in_canada=in_canada,
        program_years={"two_year": 2, "one_year": 1}.get(level, 4 if level == "bachelors" else 2),
        completed_on=completed,
        eca_issuer="" if in_canada else "wes",
        eca_date=None if in_canada else max(completed, _years(today, 1.5)),
        eca_reference="" if in_canada else f"WES-{client.pk:07d}",
    )
    for job in p.jobs:
        WorkExperience.objects.create(
            client=client,
            job_title=job.title,
            noc_code=job.noc,
            teer=job.teer,
            employer=job.employer,
            country=job.country,
            in_canada=job.country == "CA",
            province=job.province,
            start_date=_years(today, job.start_years_ago),
            end_date=_years(today, job.end_years_ago) if job.end_years_ago is not None else None,
            hours_per_week=40,
            capacity="manager" if job.teer == 0 else "professional",
        )
    if p.offer:
        employer, noc, province, wage = p.offer
        JobOffer.objects.create(
            client=client,
            employer=employer,
            noc_code=noc,
            teer=int(noc[1]),
            job_title=p.jobs[-1].title,
            province=province,
            annual_wage=Decimal(wage),
            offered_on=today - timedelta(days=min(p.opened_days_ago, 90)),
            full_time=True,
            permanent=True,
        )
    if p.nomination:
        ProvincialNomination.objects.create(
            client=client,
            province=p.nomination,
            stream="Human Capital Priorities (tech draw)",
            nominated_on=today - timedelta(days=p.opened_days_ago - 30),
            expires_on=today + timedelta(days=120),
            certificate_number=f"NOM-{client.pk:06d}",
        )
    _name, accompanying, canadian = p.spouse or ("", False, False)
    if accompanying and not canadian:
        LanguageTest.objects.create(
            client=client,
            person="spouse",
            test="ielts",
            test_date=today - timedelta(days=months * 30 + 20),
            listening=Decimal("7.0"),
            reading=Decimal("6.5"),
            writing=Decimal("6.5"),
            speaking=Decimal("6.5"),
        )
        Education.objects.create(client=client, person="spouse", level="bachelors", country=p.country)
    if p.pathway == "express_entry" and p.status not in ("intake",) and p.jobs:
        submitted = timezone.now() - timedelta(days=max(p.opened_days_ago - 25, 5))
        client.ee_profile_number = f"E{1000000000 + client.pk * 7919}"
        client.ee_profile_submitted_at = submitted
        client.ee_profile_expires_on = (submitted + timedelta(days=365)).date()
        client.save()


def create_case(client: Client, p: Person, today: date, index: int) -> Case:
    opened = today - timedelta(days=p.opened_days_ago)
    case = Case.objects.create(
        firm=client.firm,
        client=client,
        pathway=p.pathway if p.pathway != "start_up_visa" else "start_up_visa",
        stream=p.stream,
        assigned_lawyer=client.assigned_lawyer,
    )
    walk = path_to(p.status)
    step_days = max(p.opened_days_ago // max(len(walk), 1), 1)
    previous = ""
    for n, step in enumerate(walk):
        if previous and step not in CASE_TRANSITIONS[previous]:
            break
        change = CaseStatusChange.objects.create(
            case=case,
            from_status=previous,
            to_status=step,
            changed_by=client.assigned_lawyer,
            reason="Client chose another route." if step == "withdrawn" else "",
        )
        CaseStatusChange.objects.filter(pk=change.pk).update(
            changed_at=_at(opened + timedelta(days=n * step_days))
        )
        previous = step
    filed = "filed" in walk
    Case.objects.filter(pk=case.pk).update(
        status=previous,
        opened_at=_at(opened, 9),
        closed_at=_at(today - timedelta(days=max(step_days // 2, 1)))
        if p.status in CLIENT_STATUS and p.status not in ("intake", "assessment")
        else None,
        ircc_application_number=f"{'E' if p.pathway == 'express_entry' else 'W'}{300000000 + index * 7411}"
        if filed
        else "",
        title="",
    )
    case.refresh_from_db()
    return case


def documents_for_stage(case: Case, status: str, today: date, index: int, *, french: bool = False) -> None:
    """Put the case's requested documents in the states its stage implies."""
    docs = list(Document.objects.filter(case=case).order_by("pk"))
    if not docs and status not in ("intake", "assessment"):
        for kind in (DocumentKind.PASSPORT, DocumentKind.LANGUAGE_TEST, DocumentKind.REFERENCE_LETTER):
            docs.append(
                Document.objects.create(firm=case.firm, case=case, kind=kind, checklist_key=f"demo:{kind}")
            )
    for n, doc in enumerate(docs):
        state = _state(status, n, index)
        if state == "requested":
            continue
        _attach(doc, today - timedelta(days=3 + (n * 5) % 40))
        doc.status = state
        if state == "rejected":
            doc.rejection_reason = (
                REJECTIONS_FR.get(doc.kind, REJECTED_DEFAULT_FR)
                if french
                else REJECTIONS.get(doc.kind, REJECTED_DEFAULT)
            )
            doc.reviewed_at = timezone.now() - timedelta(days=2)
            doc.reviewed_by = case.assigned_lawyer
        elif state == "verified":
            doc.reviewed_at = timezone.now() - timedelta(days=1 + n)
            doc.reviewed_by = case.assigned_lawyer
        if doc.kind in (DocumentKind.POLICE_CERTIFICATE, DocumentKind.MEDICAL, DocumentKind.PASSPORT):
            doc.expires_on = today + timedelta(days=(-6 if state == "expired" else 25 + (index * 31) % 300))
        doc.save()


def _state(status: str, n: int, index: int) -> str:
    if status in ("intake", "assessment"):
        return "requested"
    if status == "documents":
        return ("verified", "uploaded", "rejected", "requested", "verified", "uploaded")[(n + index) % 6]
    if status == "withdrawn":
        return ("verified", "requested")[n % 2]
    if status == "decision_pending" and n == 0:
        return "expired"
    return "verified"


def _attach(doc: Document, day: date) -> None:
    doc.stored_name = f"demo-{doc.case_id}-{doc.pk}.pdf"
    doc.file.save(doc.stored_name, ContentFile(DEMO_PDF), save=False)
    doc.original_filename = f"{ascii_slug(doc.get_kind_display()) or 'document'}.pdf"
    doc.content_type = "application/pdf"
    doc.size = len(DEMO_PDF)
    doc.sha256 = hashlib.sha256(DEMO_PDF).hexdigest()
    doc.uploaded_at = _at(day, 14)


# What is due next at each stage: (kind, label, due in days; negative = overdue).
STAGE_DEADLINES = {
    "intake": [("follow_up", "Call {first} to book the first consultation", 4)],
    "assessment": [("follow_up", "Send {first} the written assessment", 6)],
    "documents": [
        ("follow_up", "Review the documents {first} uploaded", 3),
        ("manual", "Police certificate from {country}", 21),
    ],
    "ready_to_file": [("filing", "Submit the application on the IRCC portal", 9)],
    "filed": [
        ("biometrics", "Biometrics appointment", 16),
        ("follow_up", "Check the application status with IRCC", 30),
    ],
    "decision_pending": [("medical", "Upfront medical exam results to IRCC", -2)],
}


def deadlines_and_notes(case: Case, p: Person, today: date) -> None:
    for kind, label, days in STAGE_DEADLINES.get(p.status, []):
        Deadline.objects.create(
            case=case,
            kind=kind,
            label=label.format(first=p.first, country=p.country),
            due_on=today + timedelta(days=days),
            source_rule="manual",
        )
    if p.status in ("approved", "refused", "withdrawn", "closed"):
        Deadline.objects.create(
            case=case,
            kind="follow_up",
            label=f"Send {p.first} the closing letter",
            due_on=today - timedelta(days=20),
            done=True,
            done_at=timezone.now() - timedelta(days=21),
            source_rule="manual",
        )
    job = p.jobs[-1]
    Note.objects.create(
        case=case,
        author=case.assigned_lawyer,
        text=(
            f"Consultation: {p.first} is a {job.title.lower()} at {job.employer} "
            f"({job.start_years_ago:g} years). Goal: {case.get_pathway_display()}."
        ),
        visible_to_client=False,
    )
    shared = (SHARED_FR if p.language_pref == "fr" else SHARED).get(p.status)
    if shared:
        Note.objects.create(case=case, author=case.assigned_lawyer, text=shared, visible_to_client=True)


SHARED = {
    "documents": "Thank you for the documents so far. The checklist shows what is still missing.",
    "ready_to_file": "Everything is verified. We will file your application this week.",
    "filed": "Your application was filed. IRCC will write to you about biometrics.",
    "decision_pending": "IRCC asked for an updated medical exam; we booked it for you.",
    "approved": "Congratulations: IRCC approved your application.",
    "refused": "IRCC refused the application. Let us meet to discuss your options.",
}
SHARED_FR = {
    "documents": "Merci pour les documents reçus. La liste indique ce qui manque encore.",
    "ready_to_file": "Tout est vérifié. Nous déposerons votre demande cette semaine.",
    "filed": "Votre demande a été déposée. IRCC vous écrira au sujet des données biométriques.",
    "decision_pending": "IRCC demande un nouvel examen médical; nous l'avons réservé pour vous.",
    "approved": "Félicitations : IRCC a approuvé votre demande.",
    "refused": "IRCC a refusé la demande. Rencontrons-nous pour discuter de vos options.",
}
