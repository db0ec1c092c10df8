"""Forms of the case pages and the caseload filter of the dashboard."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.constants import OPEN_STATUSES, CaseStatus, DocumentKind, Pathway
from cases.models import Case
from firm.validators import NOTE_MAX_LENGTH, validate_plausible_date
from firm.web.forms import DATE, UPLOAD_ACCEPT

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
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=DATE, validators=[validate_plausible_date]
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        # No `capture`: on phones it opens the camera only; without it the phone offers camera and files.
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )
    expires_on = forms.DateField(
        label=_("Expires on (if the document has an expiry date)"),
        required=False,
        widget=DATE,
        validators=[validate_plausible_date],
    )


class NewDocumentUploadForm(DocumentUploadForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)


class DocumentReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (required to reject)"), max_length=300, required=False)


class DeadlineForm(forms.Form):
    label = forms.CharField(label=_("What is due"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, validators=[validate_plausible_date])
    # Deadlines added by hand are "manual"; rule-made ones carry their rule's kind. Not a question to ask.
    kind = forms.CharField(max_length=40, required=False, initial="manual", widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    visible_to_client = forms.BooleanField(label=_("Share with the client"), required=False)
