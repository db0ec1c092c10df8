"""factory_boy factories shared by every test package (firm, cases, scoring, pathways, web).

Factories write rows directly (no services, no audit) so tests can set up any state. `make_instance`
builds a row of *any* tenant model (also models other apps add later) for the cross-tenant probe.
"""

from __future__ import annotations

import decimal
import io
import uuid
from datetime import date, timedelta
from typing import Any

import factory
from django.db import models
from django.utils import timezone

from cases.models import Case, Deadline, Document, Note
from firm.models import (
    ApiKey,
    Client,
    Education,
    Firm,
    JobOffer,
    LanguageTest,
    Membership,
    ProvincialNomination,
    User,
    WorkExperience,
)

PASSWORD = "correct-horse-battery-9"


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Firm {n}")
    slug = factory.Sequence(lambda n: f"firm-{n}")
    province = "ON"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A staff user with a role in a firm: `MembershipFactory(firm=f, role="paralegal").user`."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    firm = factory.SubFactory(FirmFactory)
    role = "lawyer"


def staff_user(firm: Firm, role: str, **user_fields: Any) -> User:
    return MembershipFactory(firm=firm, role=role, user=UserFactory(**user_fields)).user


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    firm = factory.SubFactory(FirmFactory)
    first_name = "Ana"
    last_name = factory.Sequence(lambda n: f"Client{n}")
    date_of_birth = date(1992, 5, 17)
    email = factory.LazyAttribute(lambda c: f"{c.last_name.lower()}@client.test")
    marital_status = "single"
    status = "active"


class PortalClientFactory(ClientFactory):
    """A client with a portal login (User linked from Client.portal_user)."""

    portal_user = factory.SubFactory(
        UserFactory, email=factory.LazyAttribute(lambda u: f"portal-{uuid.uuid4().hex[:10]}@client.test")
    )


class LanguageTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageTest

    client = factory.SubFactory(ClientFactory)
    test = "ielts"
    test_date = factory.LazyFunction(lambda: date.today() - timedelta(days=90))
    listening = decimal.Decimal("8.0")
    reading = decimal.Decimal("7.0")
    writing = decimal.Decimal("7.0")
    speaking = decimal.Decimal("7.0")


class EducationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Education

    client = factory.SubFactory(ClientFactory)
    level = "bachelors"
    field_of_study = "Computer science"
    country = "IN"
    completed_on = date(2014, 6, 1)
    eca_issuer = "wes"
    eca_date = factory.LazyFunction(lambda: date.today() - timedelta(days=200))


class WorkExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkExperience

    client = factory.SubFactory(ClientFactory)
    noc_code = "21231"
    teer = 1
    job_title = "Software engineer"
    employer = "Acme"
    country = "IN"
    start_date = date(2019, 1, 1)
    end_date = date(2023, 12, 31)


class JobOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOffer

    client = factory.SubFactory(ClientFactory)
    employer = "Maple Tech"
    noc_code = "21231"
    teer = 1
    province = "ON"


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvincialNomination

    client = factory.SubFactory(ClientFactory)
    province = "ON"
    stream = "Human Capital Priorities"
    nominated_on = factory.LazyFunction(lambda: date.today() - timedelta(days=10))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    client = factory.SubFactory(ClientFactory)
    firm = factory.LazyAttribute(lambda c: c.client.firm)
    pathway = "express_entry"
    title = factory.Sequence(lambda n: f"Case {n}")
    assigned_lawyer = factory.LazyAttribute(lambda c: c.client.assigned_lawyer)


class DocumentFactory(factory.django.DjangoModelFactory):
    """A requested document (no file). `with_file(doc)` attaches a small PDF."""

    class Meta:
        model = Document

    case = factory.SubFactory(CaseFactory)
    firm = factory.LazyAttribute(lambda d: d.case.firm)
    kind = "passport"
    label = factory.Sequence(lambda n: f"Document {n}")
    status = "requested"


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    case = factory.SubFactory(CaseFactory)
    kind = "submission"
    label = factory.Sequence(lambda n: f"Deadline {n}")
    due_on = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    text = factory.Sequence(lambda n: f"Note {n}")
    visible_to_client = False


# --- Files --------------------------------------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def with_file(document: Document, *, data: bytes = PDF_BYTES, filename: str = "passport.pdf") -> Document:
    """Attach a file to a document the way the upload service stores it (generated name, sha256)."""
    import hashlib

    from django.core.files.base import ContentFile

    document.stored_name = f"{uuid.uuid4().hex}.pdf"
    document.file.save(document.stored_name, ContentFile(data), save=False)
    document.original_filename = filename
    document.content_type = "application/pdf"
    document.size = len(data)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.status = "uploaded"
    document.uploaded_at = timezone.now()
    document.save()
    return document


def upload_file(data: bytes, name: str, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def docx_bytes(document_xml: bytes = b"<w:document/>", *, compress_level: int = 6) -> bytes:
    """A minimal DOCX-shaped zip (what `filetype` recognises as DOCX)."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compress_level) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


# --- API keys -----------------------------------------------------------------------------------------------


def api_key_for(
    firm: Firm, scopes: list[str] | tuple[str, ...] = ("read", "write"), name: str = ""
) -> tuple[ApiKey, str]:
    """An API key row and its raw secret (send as `Authorization: Api-Key <raw>`)."""
    public_id, raw = ApiKey.generate()
    key = ApiKey.objects.create(
        firm=firm,
        name=name or f"key-{public_id}",
        public_id=public_id,
        key_hash=ApiKey.hash_secret(raw),
        scopes=sorted(scopes),
    )
    return key, raw


# --- Any tenant model -----------------------------------------------------------------------------------------


def _value_for(field: models.Field, marker: str) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return date.today()
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.EmailField):
        return f"{marker.lower()}{uuid.uuid4().hex[:6]}@probe.test"
    if isinstance(field, (models.CharField, models.TextField)):
        text = f"{marker}-{uuid.uuid4().hex[:8]}"
        return text[: field.max_length] if field.max_length else text
    return None


def make_instance(
    model: type[models.Model], *, related: dict[type[models.Model], models.Model], marker: str
) -> Any:
    """Create one row of `model` whose foreign keys point at the given objects (`related`: model -> row,
    e.g. {Firm: firm_a, Client: client_a, Case: case_a, User: lawyer_a}); other required foreign keys are
    created recursively the same way. Required text fields carry `marker` so a leak is visible."""
    if model in related:
        return related[model]
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.auto_created:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            target = field.related_model
            match = next((obj for m, obj in related.items() if issubclass(m, target) or m is target), None)
            if field.unique and not field.null:  # one-to-one: a row of its own
                others = {m: o for m, o in related.items() if m is not target}
                match = make_instance(target, related=others, marker=marker)
            elif match is None and not field.null:
                match = make_instance(target, related=related, marker=marker)
            if match is not None:
                values[field.name] = match
            continue
        if field.has_default() or field.null or field.blank:
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices and field.blank:
                values[field.name] = _value_for(field, marker)
            continue
        values[field.name] = _value_for(field, marker)
    obj = model(**values)
    obj.save()
    related = {**related, model: obj}
    return obj
