"""Forms of the core pages: log-in and two-factor, clients and their facts, firm administration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from firm.constants import Province, Role
from firm.fields import CLIENT_EDITABLE_FIELDS
from firm.models import (
    ApiKey,
    Client,
    Education,
    JobOffer,
    LanguageTest,
    ProvincialNomination,
    WorkExperience,
)

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
                "autofocus": True,
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
        model = get_user_model()
        return (
            u
            for u in model._default_manager.filter(email__iexact=email.strip(), is_active=True)
            if u.email.lower() == email.strip().lower()
        )

    def send_invitation(self, *, request: Any) -> None:
        """Email the 'choose your password' link to a newly added user."""
        self.save(request=request, use_https=request.is_secure())

    def save(
        self, *, request: Any = None, domain_override: str | None = None, use_https: bool = False, **_: Any
    ) -> None:
        """Queue the reset email of each matching user (a Celery task renders it in the user's language,
        with a text and an HTML part, and sends it): the page answers the same, at once, for any address."""
        from firm.tasks import password_reset_email_task

        domain = domain_override or (request.get_host() if request is not None else "localhost")
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_email_task.delay(user.pk, domain, use_https)


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
            # A short list with a filter box (static/js/app.js), not 250 rows to scroll.
            "citizenships": forms.SelectMultiple(
                attrs={
                    "data-searchable": "1",
                    "size": "6",
                    "data-filter-label": _("Find a country"),
                    "data-filter-placeholder": _("Type to find a country"),
                }
            ),
        }
        # The facts behind FSW/FSTP proof of funds and "plans to live outside Quebec" (FSW, FSTP, CEC).
        labels = {
            "settlement_funds_cad": _("Settlement funds (CAD)"),
            "family_size": _("Family size"),
            "intended_province": _("Intended province"),
            "uci": _("UCI"),
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
