"""Fixtures for the page tests: two firms, their staff, clients with facts, cases and documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.constants import CaseStatus, DocumentKind, DocumentStatus, Pathway
from cases.models import Case, CaseStatusChange, Deadline, Document, Note
from firm.models import Client, Education, Firm, LanguageTest, Membership, User, WorkExperience

PASSWORD = "correct-horse-battery-42"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from cases.models import private_storage

    private_storage._wrapped = empty  # the LazyObject re-reads the setting on next use
    yield
    private_storage._wrapped = empty


def make_staff(firm: Firm, email: str, role: str = "lawyer") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, first_name=email.split("@")[0].title())
    Membership.objects.create(user=user, firm=firm, role=role)
    return user


def make_client(firm: Firm, lawyer: User | None, first: str, last: str, *, portal: bool = False) -> Client:
    client = Client.objects.create(
        firm=firm,
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}@example.test",
        date_of_birth=date(1994, 5, 17),
        assigned_lawyer=lawyer,
        status="active",
    )
    if portal:
        user = User.objects.create_user(email=client.email, password=PASSWORD, first_name=first)
        client.portal_user = user
        client.save(update_fields=["portal_user"])
    LanguageTest.objects.create(
        client=client,
        test="ielts",
        test_date=date.today() - timedelta(days=100),
        listening=8,
        reading=7,
        writing=7,
        speaking=7,
    )
    Education.objects.create(client=client, level="bachelors", field_of_study="Computer science")
    WorkExperience.objects.create(
        client=client,
        noc_code="21231",
        teer=1,
        job_title="Software engineer",
        employer="Acme",
        start_date=date.today() - timedelta(days=4 * 365),
    )
    return client


def make_case(client: Client, status: str = CaseStatus.DOCUMENTS) -> Case:
    case = Case.objects.create(
        firm=client.firm,
        client=client,
        pathway=Pathway.EXPRESS_ENTRY,
        stream="CEC",
        status=status,
        assigned_lawyer=client.assigned_lawyer,
    )
    CaseStatusChange.objects.create(case=case, from_status="", to_status=status)
    return case


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    """Firm A (lawyer, paralegal, admin, two clients) and firm B (lawyer, one client)."""
    firm_a = Firm.objects.create(name="Alder & Birch LLP", slug="alder")
    firm_b = Firm.objects.create(name="Cedar Law", slug="cedar")
    admin_a = make_staff(firm_a, "admin@alder.test", "admin")
    lawyer_a = make_staff(firm_a, "lawyer@alder.test", "lawyer")
    paralegal_a = make_staff(firm_a, "para@alder.test", "paralegal")
    lawyer_b = make_staff(firm_b, "lawyer@cedar.test", "lawyer")
    client_a = make_client(firm_a, lawyer_a, "Ana", "Silva", portal=True)
    WorkExperience.objects.create(
        client=client_a,
        noc_code="21232",
        teer=1,
        job_title="Software developer",
        employer="Maple Tech Inc.",
        country="CA",
        in_canada=True,
        province="ON",
        start_date=date.today() - timedelta(days=2 * 365 + 30),
    )
    client_a2 = make_client(firm_a, lawyer_a, "Bo", "Chen", portal=True)
    client_b = make_client(firm_b, lawyer_b, "Carl", "Dube", portal=True)
    case_a = make_case(client_a)
    case_a2 = make_case(client_a2)
    case_b = make_case(client_b)
    doc_a = Document.objects.create(firm=firm_a, case=case_a, kind=DocumentKind.PASSPORT, label="Passport")
    doc_a_file = Document.objects.create(
        firm=firm_a,
        case=case_a,
        kind=DocumentKind.LANGUAGE_TEST,
        status=DocumentStatus.UPLOADED,
        original_filename="ielts.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_at=timezone.now(),
    )
    doc_a_file.file.save("ielts-test.pdf", ContentFile(PDF), save=True)
    doc_b = Document.objects.create(firm=firm_b, case=case_b, kind=DocumentKind.PASSPORT)
    doc_b.file.save("b.pdf", ContentFile(PDF), save=True)
    deadline_a = Deadline.objects.create(
        case=case_a, kind="manual", label="Submit medicals", due_on=date.today() + timedelta(days=5)
    )
    overdue_a = Deadline.objects.create(
        case=case_a, kind="manual", label="Police certificate", due_on=date.today() - timedelta(days=3)
    )
    Note.objects.create(
        case=case_a, author=lawyer_a, text="Shared: we received your forms", visible_to_client=True
    )
    Note.objects.create(
        case=case_a, author=lawyer_a, text="Internal: check gap in employment", visible_to_client=False
    )
    return type("World", (), locals())


def login(client, user) -> None:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def make_score(client: Client, total: int, as_of: date, *, current: bool = True):
    from scoring.crs.rulesets import ruleset_for
    from scoring.models import CRSScore

    if current:
        CRSScore.objects.filter(client=client, is_current=True).update(is_current=False)
    return CRSScore.objects.create(
        firm=client.firm,
        client=client,
        total=total,
        core=total - 50,
        spouse=0,
        transferability=50,
        additional=0,
        breakdown={
            "age": 110,
            "education": 120,
            "first_language.listening": 31,
            "first_language.reading": 23,
            "first_language.writing": 23,
            "first_language.speaking": 23,
            "first_language.total": 100,
            "canadian_work": total - 50 - 330,
            "transferability.education_language": 50,
            "transferability.total": 50,
            "additional.nomination": 0,
            "additional.total": 0,
        },
        profile={
            "as_of": as_of.isoformat(),
            "date_of_birth": "1994-05-17",
            "marital_status": "single",
            "education": "bachelors",
            "first_language": {"test": "ielts", "listening": 8, "reading": 7, "writing": 7, "speaking": 7},
            "canadian_work_years": 1,
            "foreign_work_years": 3,
        },
        rule_set=ruleset_for(as_of).id,
        inputs_hash=f"h{total}{as_of}",
        as_of=as_of,
        is_current=current,
    )


def make_draw(number: str, on: date, min_crs: int, category: str = "cec"):
    from scoring.models import Draw

    return Draw.objects.create(
        draw_number=number,
        draw_date=on,
        name="Canadian Experience Class" if category == "cec" else category,
        category=category,
        invitations=3000,
        min_crs=min_crs,
        content_hash=f"hash-{number}",
        updated_at=timezone.now(),
    )


def make_match(draw, client: Client, score: int, *, in_pool: bool = True):
    from scoring.models import DrawMatch

    now = timezone.now()
    return DrawMatch.objects.create(
        draw=draw,
        client=client,
        firm=client.firm,
        lawyer=client.assigned_lawyer,
        score=score,
        eligibility_basis="cec",
        in_pool=in_pool,
        flag_run=1,
        created_at=now,
        updated_at=now,
    )


def flag_for_real(client: Client, *, number: str, on: date, margin: int = 12):
    """Score the client and flag a new CEC draw through the scoring app's own services.

    The score comes from the real recompute (the client's facts); the draw's cut-off is set `margin`
    points below it, and the real set-based flagging (`draw_flag`) creates the match. Falls back to a
    stored score / eligibility only if the recompute produced none.
    """
    from scoring.models import CRSScore, Eligibility
    from scoring.services.draws import draw_flag
    from scoring.services.scores import client_recompute

    client_recompute(client_id=client.pk)
    score = CRSScore.objects.filter(client=client, is_current=True).first()
    if score is None:
        make_score(client, 492, on - timedelta(days=240), current=False)
        score = make_score(client, 517, on - timedelta(days=20))
    if not Eligibility.objects.filter(client=client, program="cec", outcome="eligible").exists():
        Eligibility.objects.update_or_create(
            client=client,
            program="cec",
            version="",
            defaults={
                "firm": client.firm,
                "outcome": "eligible",
                "as_of": on,
                "criteria": [
                    {"key": "canadian_work", "status": "met", "reason": "1 year of skilled Canadian work"}
                ],
            },
        )
    draw = make_draw(number, on, score.total - margin, category="cec")
    return draw, draw_flag(draw_id=draw.pk, force=True, send=False)
