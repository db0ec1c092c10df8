"""Forms for the dashboard and portal. They validate input only; pages pass `cleaned_data` to services.

Model forms are bound to a *fresh* instance (never the stored object), so the service sees the
stored values and records the real changes in the audit log.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cases.constants import OPEN_STATUSES, CaseStatus, DocumentKind, Pathway
from cases.models import Case
from firm.constants import Province, Role
from firm.models import (
    ApiKey,
    Client,
    Education,
    JobOffer,
    LanguageTest,
    ProvincialNomination,
    WorkExperience,
)
from firm.services import CLIENT_EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
UPLOAD_ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.heif,.tif,.tiff,.docx,application/pdf,image/*"


# --- Accounts -----------------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's form: it passes `request` to `authenticate`, so django-axes counts failures."""

    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )


class MagicLinkForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class LocalizedPasswordResetForm(PasswordResetForm):
    """Sends the reset email in the user's (or client's) preferred language.

    Unlike Django's default, active users without a usable password (new staff, invited clients)
    are included: every account here logs in locally, and this is how they choose a first password.
    """

    def get_users(self, email: str):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        return (
            u
            for u in model._default_manager.filter(email__iexact=email.strip(), is_active=True)
            if u.email.lower() == email.strip().lower()
        )

    def send_invitation(self, *, request: Any) -> None:
        """Email the 'choose your password' link to a newly added user."""
        self.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="email/password_reset_subject.txt",
            email_template_name="email/password_reset.txt",
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context.get("user")
        client = getattr(user, "client_profile", None) if user is not None else None
        language = (client.preferred_language if client else None) or getattr(
            user, "preferred_language", "en"
        )
        with translation.override(language or "en"):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


# --- Dashboard filters --------------------------------------------------------------------------------


class CaseloadFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in CaseStatus if s in OPEN_STATUSES],
        empty_label=_("Any open status"),
    )
    pathway = django_filters.ChoiceFilter(
        label=_("Pathway"), choices=Pathway.choices, empty_label=_("Any pathway")
    )
    lawyer = django_filters.ChoiceFilter(
        label=_("Lawyer"), method="filter_lawyer", empty_label=_("Any lawyer"), choices=()
    )
    q = django_filters.CharFilter(label=_("Client name"), method="filter_q")

    class Meta:
        model = Case
        fields = ["status", "pathway", "lawyer", "q"]

    def __init__(self, *args: Any, lawyer_choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["lawyer"].extra["choices"] = [("mine", _("Me")), *lawyer_choices]

    def filter_lawyer(self, queryset: Any, name: str, value: str) -> Any:
        if value == "mine":
            return queryset.filter(assigned_lawyer_id=self.request.user.pk)
        return queryset.filter(assigned_lawyer_id=value)

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        for word in value.split()[:4]:
            queryset = queryset.filter(
                Q(client__first_name__icontains=word) | Q(client__last_name__icontains=word)
            )
        return queryset


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)


# --- Client and facts ---------------------------------------------------------------------------------


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = list(CLIENT_EDITABLE_FIELDS)
        widgets = {
            "date_of_birth": DATE,
            "ee_profile_submitted_at": DATETIME,
            "ee_profile_expires_on": DATE,
            "settlement_funds_cad": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
            ),
            "family_size": forms.NumberInput(attrs={"min": "1", "max": "30"}),
        }
        # The facts behind FSW/FSTP proof of funds and "plans to live outside Quebec" (FSW, FSTP, CEC).
        labels = {
            "settlement_funds_cad": _("Settlement funds (CAD)"),
            "family_size": _("Family size"),
            "intended_province": _("Intended province"),
        }
        help_texts = {
            "settlement_funds_cad": _("Funds the client can show; empty = not known yet."),
            "family_size": _(
                "The client, their spouse or partner and dependent children; empty = not known yet."
            ),
            "intended_province": _("Where the client plans to live in Canada; empty = not known yet."),
        }

    def __init__(self, *args: Any, lawyers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_lawyer"]
        field.queryset = lawyers if lawyers is not None else field.queryset.none()
        self.fields["intended_province"].choices = [("", _("Not known yet")), *Province.choices]


class LanguageTestForm(forms.ModelForm):
    class Meta:
        model = LanguageTest
        fields = [
            "person",
            "test",
            "test_date",
            "role",
            "listening",
            "reading",
            "writing",
            "speaking",
            "registration_number",
        ]
        widgets = {"test_date": DATE}


class EducationForm(forms.ModelForm):
    class Meta:
        model = Education
        fields = [
            "person",
            "level",
            "field_of_study",
            "institution",
            "country",
            "in_canada",
            "program_years",
            "completed_on",
            "full_time_in_canada",
            "eca_issuer",
            "eca_date",
            "eca_reference",
        ]
        widgets = {"completed_on": DATE, "eca_date": DATE}


class WorkExperienceForm(forms.ModelForm):
    class Meta:
        model = WorkExperience
        fields = [
            "person",
            "job_title",
            "employer",
            "noc_code",
            "teer",
            "country",
            "in_canada",
            "province",
            "start_date",
            "end_date",
            "hours_per_week",
            "paid",
            "self_employed",
            "work_authorized",
            "while_full_time_student",
            "capacity",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return data


class JobOfferForm(forms.ModelForm):
    class Meta:
        model = JobOffer
        fields = [
            "employer",
            "job_title",
            "noc_code",
            "teer",
            "province",
            "annual_wage",
            "hourly_wage",
            "hours_per_week",
            "full_time",
            "permanent",
            "duration_months",
            "lmia_number",
            "lmia_exempt",
            "offered_on",
            "start_date",
            "is_current",
        ]
        widgets = {"offered_on": DATE, "start_date": DATE}


class NominationForm(forms.ModelForm):
    class Meta:
        model = ProvincialNomination
        fields = ["province", "stream", "enhanced", "nominated_on", "expires_on", "certificate_number"]
        widgets = {"nominated_on": DATE, "expires_on": DATE}


FACT_FORMS: dict[str, tuple[type[forms.ModelForm], Any]] = {
    "language_test": (LanguageTestForm, _("Language test")),
    "education": (EducationForm, _("Education")),
    "work_experience": (WorkExperienceForm, _("Work experience")),
    "job_offer": (JobOfferForm, _("Job offer")),
    "nomination": (NominationForm, _("Provincial nomination")),
}


def form_data(form: forms.ModelForm) -> dict[str, Any]:
    """cleaned_data restricted to the model fields the form edits (what services accept)."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}


# --- Cases --------------------------------------------------------------------------------------------


class CaseCreateForm(forms.Form):
    pathway = forms.ChoiceField(label=_("Pathway"), choices=Pathway.choices)
    stream = forms.CharField(label=_("Stream"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=CaseStatus.choices)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT, "capture": "environment"}),
    )
    expires_on = forms.DateField(
        label=_("Expires on (if the document has an expiry date)"), required=False, widget=DATE
    )


class NewDocumentUploadForm(DocumentUploadForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)


class DocumentReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (required to reject)"), max_length=300, required=False)


class DeadlineForm(forms.Form):
    label = forms.CharField(label=_("What is due"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    kind = forms.CharField(label=_("Kind"), max_length=40, required=False, initial="manual")


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    visible_to_client = forms.BooleanField(label=_("Share with the client"), required=False)


# --- Firm admin ---------------------------------------------------------------------------------------


class StaffCreateForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.LAWYER)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiKey.Scope.choices, widget=forms.CheckboxSelectMultiple
    )


class FirmSettingsForm(forms.Form):
    email_clients_on_draw = forms.BooleanField(
        label=_("Email clients (not only their lawyer) when a draw flags them"), required=False
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication for all staff"), required=False
    )
