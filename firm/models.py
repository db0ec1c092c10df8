"""The firm (tenant), its staff, its clients and the clients' profile facts, and the audit log.

Every fact that changes over time (language tests, education, work, offers, nominations) is its own
row so that a score can be rebuilt *as of* any date. Scoping lives in `firm.scoping`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from knox.models import AbstractAuthToken
from knox.models import AuthTokenManager as KnoxAuthTokenManager

from firm.constants import (
    ClientStatus,
    EcaIssuer,
    EducationLevel,
    LanguageRole,
    LanguageTestKind,
    MaritalStatus,
    Person,
    Province,
    Role,
)
from firm.identifiers import IdentifierValidator
from firm.scoping import RestrictedQuerySet
from firm.validators import (
    ee_profile_errors,
    language_score_errors,
    validate_birth_date,
    validate_past_date,
    validate_plausible_date,
)

noc_validator = RegexValidator(r"^\d{5}$", "A NOC 2021 code has five digits.")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who logs in: firm staff (has a Membership) or a client (linked from Client.portal_user).

    `is_staff` keeps Django's meaning (may use the Django admin); firm roles live on Membership.
    """

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    preferred_language = models.CharField(
        max_length=5, default="en", choices=[("en", "English"), ("fr", "Français")]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Firm(models.Model):
    """A law firm: the tenant. Everything a user sees is scoped to one firm."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    province = models.CharField(max_length=2, choices=Province.choices, default=Province.ON)
    require_two_factor = models.BooleanField(default=False, help_text="Staff must use TOTP to log in.")
    email_clients_on_draw = models.BooleanField(
        default=False, help_text="Also email clients (not only their lawyer) when a draw flags them."
    )
    alert_from_email = models.EmailField(blank=True)
    compare_proposed_crs = models.BooleanField(
        default=False,
        help_text="Show each client's CRS under the 2026 proposed rules next to the current score "
        "(comparison only: never used for flagging).",
    )
    status_reminder_days = models.JSONField(
        default=list,
        blank=True,
        help_text="Days before a permit, passport or PR card expires to remind the lawyer (default 120, 90, 30).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "pk"
    scope_client_path = None

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff user's place in a firm and their role. One firm per staff user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LAWYER)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["firm", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.firm})"


class Client(models.Model):
    """A person the firm advises, prospect or retained."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="clients")
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_birth_date]
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    citizenships = CountryField(_("citizenship"), multiple=True, blank=True)
    country_of_residence = CountryField(_("country of residence"), blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, default=MaritalStatus.SINGLE
    )
    spouse_name = models.CharField(_("spouse or partner's name"), max_length=200, blank=True)
    spouse_accompanying = models.BooleanField(_("spouse or partner comes to Canada"), default=False)
    spouse_canadian = models.BooleanField(
        _("spouse or partner is a Canadian citizen or PR"),
        default=False,
        help_text=_("The spouse is a Canadian citizen or permanent resident."),
    )
    sibling_in_canada = models.BooleanField(
        _("brother or sister in Canada"),
        default=False,
        help_text=_("A brother or sister, 18+, living in Canada as a citizen or PR."),
    )
    certificate_of_qualification = models.BooleanField(
        _("certificate of qualification in a trade"), default=False
    )
    certificate_trade = models.CharField(_("trade of the certificate"), max_length=200, blank=True)
    settlement_funds_cad = models.DecimalField(
        _("settlement funds (CAD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Funds the client can show (FSW/FSTP proof of funds). Empty: not known yet."),
    )
    family_size = models.PositiveSmallIntegerField(
        _("family size"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Family members counted for proof of funds (the client, spouse and dependent children)."),
    )
    intended_province = models.CharField(
        _("intended province"), max_length=2, choices=Province.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClientStatus.choices, default=ClientStatus.PROSPECT
    )
    assigned_lawyer = models.ForeignKey(
        User,
        verbose_name=_("assigned lawyer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_clients",
    )
    portal_user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="client_profile"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, default="en", choices=[("en", "English"), ("fr", "Français")]
    )
    ee_profile_number = models.CharField(
        _("Express Entry profile number"),
        max_length=40,
        blank=True,
        validators=[IdentifierValidator("ee_profile_number")],
    )
    ee_profile_submitted_at = models.DateTimeField(
        _("Express Entry profile submitted on"),
        null=True,
        blank=True,
        validators=[validate_past_date],
    )
    ee_profile_expires_on = models.DateField(
        _("Express Entry profile expires on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    ee_job_seeker_code = models.CharField(
        "job seeker validation code",
        max_length=16,
        blank=True,
        validators=[IdentifierValidator("ee_job_seeker_code")],
    )
    uci = models.CharField("UCI", max_length=12, blank=True, validators=[IdentifierValidator("uci")])
    source = models.CharField(
        _("where the client came from"),
        max_length=60,
        blank=True,
        help_text=_("Where the client came from (intake form...)."),
    )
    facts_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Set with every change of the facts, cleared once score and assessments are recomputed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = "pk"

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["firm", "status"]),
            models.Index(fields=["firm", "last_name"]),
            models.Index(fields=["firm", "assigned_lawyer"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        errors = ee_profile_errors(
            submitted_at=self.ee_profile_submitted_at, expires_on=self.ee_profile_expires_on
        )
        if errors:
            raise ValidationError(errors)

    @property
    def in_pool(self) -> bool:
        return bool(self.ee_profile_number and self.ee_profile_submitted_at)


class ClientFact(models.Model):
    """Base for the client's profile facts: scoped through the client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="%(class)ss")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "client__firm"
    scope_client_path = "client"

    class Meta:
        abstract = True


class LanguageTest(ClientFact):
    """One sitting of an approved language test. Results are valid 2 years from the test date."""

    person = models.CharField(
        _("whose fact"), max_length=10, choices=Person.choices, default=Person.PRINCIPAL
    )
    test = models.CharField(_("test"), max_length=10, choices=LanguageTestKind.choices)
    test_date = models.DateField(_("test date"), validators=[validate_past_date])
    role = models.CharField(
        _("role"), max_length=10, choices=LanguageRole.choices, default=LanguageRole.FIRST
    )
    listening = models.DecimalField(_("listening"), max_digits=5, decimal_places=1)
    reading = models.DecimalField(_("reading"), max_digits=5, decimal_places=1)
    writing = models.DecimalField(_("writing"), max_digits=5, decimal_places=1)
    speaking = models.DecimalField(_("speaking"), max_digits=5, decimal_places=1)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)

    class Meta:
        ordering = ["-test_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_test_display()} {self.test_date}"

    def clean(self) -> None:
        scores = {a: getattr(self, a) for a in ("listening", "reading", "writing", "speaking")}
        test_date = self.test_date if isinstance(self.test_date, date) else None
        errors = (
            language_score_errors(test=self.test, scores=scores, test_date=test_date) if self.test else {}
        )
        if errors:
            raise ValidationError(errors)


class Education(ClientFact):
    person = models.CharField(
        _("whose fact"), max_length=10, choices=Person.choices, default=Person.PRINCIPAL
    )
    level = models.CharField(_("level of education"), max_length=20, choices=EducationLevel.choices)
    field_of_study = models.CharField(_("field of study"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    in_canada = models.BooleanField(_("in Canada"), default=False)
    program_years = models.PositiveSmallIntegerField(
        _("length of the program (years)"), null=True, blank=True
    )
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    full_time_in_canada = models.BooleanField(
        _("full-time study in Canada"),
        default=False,
        help_text=_(
            "Studied full-time, physically in Canada, for at least 8 months (Canadian-education points)."
        ),
    )
    eca_issuer = models.CharField(
        _("credential assessment (ECA) issuer"), max_length=10, choices=EcaIssuer.choices, blank=True
    )
    eca_date = models.DateField(_("ECA date"), null=True, blank=True, validators=[validate_past_date])
    eca_reference = models.CharField(_("ECA reference"), max_length=60, blank=True)

    class Meta:
        ordering = ["-completed_on", "pk"]
        verbose_name_plural = "education"

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.field_of_study or 'field not given'})"


class WorkExperience(ClientFact):
    person = models.CharField(
        _("whose fact"), max_length=10, choices=Person.choices, default=Person.PRINCIPAL
    )
    noc_code = models.CharField(_("NOC 2021 code"), max_length=5, validators=[noc_validator])
    teer = models.PositiveSmallIntegerField(_("TEER category"), validators=[MaxValueValidator(5)])
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    in_canada = models.BooleanField(_("in Canada"), default=False)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, blank=True)
    start_date = models.DateField(_("start date"), validators=[validate_plausible_date])
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Empty while the job is ongoing."),
        validators=[validate_plausible_date],
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    paid = models.BooleanField(_("paid work"), default=True)
    self_employed = models.BooleanField(_("self-employed"), default=False)
    work_authorized = models.BooleanField(_("authorized to work"), default=True)
    while_full_time_student = models.BooleanField(_("while a full-time student"), default=False)
    capacity = models.CharField(
        _("capacity"),
        max_length=30,
        blank=True,
        choices=[
            ("executive", _("Executive")),
            ("manager", _("Manager")),
            ("specialized_knowledge", _("Specialized knowledge")),
            ("professional", _("Professional")),
            ("other", _("Other")),
        ],
        help_text=_("The role's capacity (used by intra-company transfer rules)."),
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="work_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_title or self.noc_code} at {self.employer or 'employer not given'}"


class JobOffer(ClientFact):
    employer = models.CharField(_("employer"), max_length=200)
    noc_code = models.CharField(_("NOC 2021 code"), max_length=5, validators=[noc_validator])
    teer = models.PositiveSmallIntegerField(_("TEER category"), validators=[MaxValueValidator(5)])
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, blank=True)
    annual_wage = models.DecimalField(
        _("annual wage"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    hourly_wage = models.DecimalField(_("hourly wage"), max_digits=7, decimal_places=2, null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, default=40)
    full_time = models.BooleanField(_("full-time"), default=True)
    permanent = models.BooleanField(_("permanent (no end date)"), default=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"), null=True, blank=True)
    lmia_number = models.CharField(_("LMIA number"), max_length=40, blank=True)
    lmia_exempt = models.BooleanField(_("LMIA-exempt"), default=False)
    offered_on = models.DateField(_("offered on"), null=True, blank=True, validators=[validate_past_date])
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    is_current = models.BooleanField(_("current offer"), default=True)

    class Meta:
        ordering = ["-offered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.job_title or self.noc_code} at {self.employer}"


class ProvincialNomination(ClientFact):
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    stream = models.CharField(_("stream"), max_length=120, blank=True)
    enhanced = models.BooleanField(
        _("enhanced (Express Entry-aligned)"),
        default=True,
        help_text=_("Aligned with Express Entry (adds 600 CRS points)."),
    )
    nominated_on = models.DateField(_("nominated on"), validators=[validate_past_date])
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)

    class Meta:
        ordering = ["-nominated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_province_display()} nomination {self.nominated_on}"


class AuditEvent(models.Model):
    """Append-only record of who did what to which object, when and from where."""

    firm = models.ForeignKey(Firm, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


API_KEY_PREFIX = "mck_"


class ApiKey(models.Model):
    """An integration's key. Only its SHA-256 is stored; the secret is shown once at creation."""

    class Scope(models.TextChoices):
        INTAKE = "intake", _("Submit intake forms")
        READ = "read", _("Read clients, cases and scores")
        WRITE = "write", _("Create and change clients and cases")
        CRS = "crs", _("Use the CRS calculator")

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=120)
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({API_KEY_PREFIX}{self.public_id}…)"

    @staticmethod
    def hash_secret(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> tuple[str, str]:
        """Return (public_id, full raw key)."""
        public_id = uuid.uuid4().hex[:12]
        return public_id, f"{API_KEY_PREFIX}{public_id}_{secrets.token_urlsafe(32)}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first answer to a request sent with an `Idempotency-Key` header (intake), per firm.

    A retry with the same key and the same payload gets this answer back and creates nothing; the same
    key with a different payload is refused. Only successful answers are stored, so a caller may fix an
    invalid payload and retry with the same key.
    """

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["firm", "key"], name="idempotency_unique_firm_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.response_status}"


class MagicLinkToken(models.Model):
    """A one-time email login link of a portal user. Only the token's SHA-256 is stored.

    Single use is enforced by the database: `firm.security.magic_link_consume` sets `used_at` with one
    conditional UPDATE (`used_at IS NULL AND expires_at > now`), so of two simultaneous clicks exactly
    one updates the row and logs in.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    # Never served to anyone (no selector reads it; only the login service does, as the system). The
    # scope paths still say where a row belongs: links are issued to portal users, so through the
    # user's client profile to the firm, and never to clients.
    objects = RestrictedQuerySet.as_manager()
    scope_firm_path = "user__client_profile__firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        state = "used" if self.used_at else "unused"
        return f"login link for {self.user_id} ({state}, expires {self.expires_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class AuthToken(AbstractAuthToken):
    """A personal API token (django-rest-knox): only its SHA-512 digest is stored, with an expiry and a
    name the user chose, and whether the login that made it passed the two-factor check.

    `token_key` (the first characters of the token) identifies it in lists; the token itself is shown
    once. Tokens are revoked on a password change, a deactivation and a two-factor reset
    (`firm.tokens`), and refused once expired.
    """

    name = models.CharField(max_length=120, blank=True)
    otp_verified = models.BooleanField(
        default=False, help_text="Issued after a valid two-factor code (or backup code)."
    )

    # knox's manager (its `create` returns the row and the token) with the tenant scoping. Tokens are
    # only ever read by their owner (`firm.tokens`); the paths still say where a row belongs.
    objects = KnoxAuthTokenManager.from_queryset(RestrictedQuerySet)()
    scope_firm_path = "user__membership__firm"
    scope_client_path = None

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"


class UserSession(AbstractBaseSession):
    """The database session, indexed by user: revoking a user's sessions is one indexed DELETE instead of
    decoding every session in the table (`firm.sessions`)."""

    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    @classmethod
    def get_session_store_class(cls) -> type:
        from firm.sessions import SessionStore

        return SessionStore


# The people of a client's file (spouse, children, residences, status documents) live in firm.people.
from firm.people import FamilyMember, ResidencePeriod, StatusDocument  # noqa: E402, F401
