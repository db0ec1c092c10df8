"""Forms of the lifecycle pages: milestones, tasks, identifiers, family, residences, status documents,
and the new-client page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from cases.constants import Pathway
from cases.milestone_kinds import MilestoneKind
from firm.people import Relationship, StatusDocumentKind
from firm.web.forms import ClientForm

DATE = forms.DateInput(attrs={"type": "date"})


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    due_on = forms.DateField(
        label=_("Date the letter gives (optional)"),
        required=False,
        widget=DATE,
        help_text=_("For a procedural fairness letter, a request or a nomination: the deadline it states."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    override_reason = forms.CharField(
        label=_("Reason to file without every document verified (lawyer only)"),
        max_length=300,
        required=False,
    )


class MilestoneDateForm(forms.Form):
    date = forms.DateField(label=_("Corrected date"), widget=DATE)
    due_on = forms.DateField(label=_("Date the letter gives"), required=False, widget=DATE)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee = forms.TypedChoiceField(label=_("Assigned to"), coerce=int, choices=())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, staff_choices: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = list(staff_choices)


class CaseIdentifiersForm(forms.Form):
    ircc_application_number = forms.CharField(
        label=_("IRCC application number (PR)"), max_length=40, required=False
    )
    work_permit_application_number = forms.CharField(
        label=_("IRCC application number (work permit)"), max_length=20, required=False
    )
    esdc_file_number = forms.CharField(label=_("LMIA file number"), max_length=40, required=False)
    pnp_file_number = forms.CharField(label=_("PNP file number"), max_length=30, required=False)


class FamilyMemberForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    first_name = forms.CharField(label=_("First name"), max_length=120)
    last_name = forms.CharField(label=_("Last name"), max_length=120)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    citizenship = LazyTypedChoiceField(
        # a callable: the country names in the language of the request, not the one at import time
        label=_("Citizenship"),
        choices=lambda: [("", "—"), *countries],
        required=False,
    )
    accompanying = forms.BooleanField(label=_("Comes to Canada"), required=False, initial=True)
    uci = forms.CharField(label=_("UCI"), max_length=12, required=False)


class ResidenceForm(forms.Form):
    member = forms.TypedChoiceField(
        label=_("Person"), coerce=int, required=False, empty_value=None, choices=()
    )
    # a callable, as for citizenship: Django turns `countries` (a collection) into a list once, at import
    # time, in English; a callable is evaluated each time, in the language of the request
    country = LazyTypedChoiceField(label=_("Country"), choices=lambda: list(countries))
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("To (empty: still there)"), required=False, widget=DATE)

    def __init__(self, *args, member_choices: list[tuple[int | str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = list(member_choices)


class StatusDocumentForm(ResidenceForm):
    kind = forms.ChoiceField(label=_("Document"), choices=StatusDocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=20, required=False)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE)
    extension_applied_on = forms.DateField(label=_("Extension applied for on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("country", "start_date", "end_date"):
            del self.fields[name]


class ClientCreateForm(ClientForm):
    """The client's identity and first case; duplicates (same email, or same name and date of birth)
    are shown and need `create_anyway` to go on."""

    first_case_pathway = forms.ChoiceField(
        label=_("First case: pathway"), choices=[("", _("No case yet")), *Pathway.choices], required=False
    )
    first_case_stream = forms.CharField(label=_("First case: stream"), max_length=60, required=False)
    create_anyway = forms.BooleanField(label=_("Create anyway (not a duplicate)"), required=False)

    class Meta(ClientForm.Meta):
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "marital_status",
            "intended_province",
            "preferred_language",
            "assigned_lawyer",
        ]
