"""Forms of mentor recruitment before an account: her enquiry, her details, her stage, closing it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from mentoring.forms.shared import DateInput, not_in_future
from mentoring.models import (
    CLOSED_RECRUITMENT,
    RECRUITMENT_STAGES,
    ApplicantContact,
    EnquirySource,
    Hub,
    MentorApplicant,
    RecruitmentStatus,
    Role,
    User,
)
from mentoring.policies.people import hubs_for


class ApplicantForm(forms.Form):
    name = forms.CharField(label="Her name", max_length=150, help_text="What she would like to be called.")
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    email = forms.EmailField(
        label="Email (optional)",
        max_length=254,
        required=False,
        help_text="Needed before she can be invited to make her account.",
    )
    safe_ways = forms.MultipleChoiceField(
        label="Which ways of contacting her are safe?",
        choices=ApplicantContact.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(
        label="How did the enquiry come?", choices=EnquirySource.choices, widget=forms.RadioSelect
    )
    source_detail = forms.CharField(
        label="Which event or organisation (optional)",
        max_length=200,
        required=False,
        help_text="Where she heard of the programme, if it helps.",
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What she said about why she'd like to mentor, and anything to follow up.",
    )


class EnquiryForm(ApplicantForm):
    hub = forms.ModelChoiceField(queryset=Hub.objects.none(), label="Hub", empty_label=None)
    enquired_on = forms.DateField(label="Date of the enquiry", widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hubs = hubs_for(user, [Role.COORDINATOR])
        hub_field = self.fields["hub"]
        assert isinstance(hub_field, forms.ModelChoiceField)
        hub_field.queryset = hubs
        if len(hubs) == 1:
            hub_field.widget = forms.HiddenInput()
            hub_field.initial = hubs[0].pk

    def clean_enquired_on(self) -> date:
        value: date = self.cleaned_data["enquired_on"]
        not_in_future(value)
        return value


class ApplicantEditForm(ApplicantForm):
    @classmethod
    def initial_from(cls, applicant: MentorApplicant) -> dict[str, Any]:
        return {name: getattr(applicant, name) for name in cls.base_fields}


class ApplicantStageForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move her to", choices=())
    changed_on = forms.DateField(
        label="Date",
        widget=DateInput(),
        required=False,
        help_text="Today if left empty. For an application: the day it came.",
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args: Any, applicant: MentorApplicant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(stage.value, stage.label) for stage in RECRUITMENT_STAGES if stage != applicant.stage]

    def clean_changed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("changed_on")
        not_in_future(value)
        return value


class ApplicantCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[(value, RecruitmentStatus(value).label) for value in CLOSED_RECRUITMENT],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label="Date", widget=DateInput(), required=False, help_text="Today if left empty.")
    reason = forms.CharField(label="Why", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_closed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("closed_on")
        not_in_future(value)
        return value
