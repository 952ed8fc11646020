"""Forms on a mentor's record: stage, DBS check, training, references, profile, and the curriculum."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.forms.boundfield import BoundWidget

from mentoring.forms.shared import DateInput, not_in_future, number_errors
from mentoring.models import (
    AVAILABILITY_SLOTS,
    DAYS,
    PARTS_OF_DAY,
    DbsLevel,
    MeetingMode,
    Mentor,
    MentorReference,
    MentorStage,
    NeedArea,
    TrainingModule,
)


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move her to", choices=())
    changed_on = forms.DateField(label="Date", widget=DateInput(), required=False, help_text="Today if left empty.")
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def __init__(self, *args: Any, mentor: Mentor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_stage"]
        assert isinstance(field, forms.ChoiceField)
        # Any stage but the one she is at: recruitment isn't always in order (she may come back after a pause).
        field.choices = [(value, label) for value, label in MentorStage.choices if value != mentor.stage]

    def clean_changed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("changed_on")
        not_in_future(value)
        return value


class DbsForm(forms.Form):
    level = forms.ChoiceField(label="Level of check", choices=DbsLevel.choices)
    certificate_number = forms.CharField(
        label="Certificate number",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Kept encrypted; shown only on this form.",
    )
    issued_on = forms.DateField(label="Issue date", widget=DateInput())
    renewal_due = forms.DateField(
        label="Renewal due (optional)",
        widget=DateInput(),
        required=False,
        help_text="Three years after the issue date if left empty.",
    )

    def clean_issued_on(self) -> date:
        value: date = self.cleaned_data["issued_on"]
        not_in_future(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, renewal = data.get("issued_on"), data.get("renewal_due")
        if issued and renewal and renewal <= issued:
            self.add_error("renewal_due", "Renewal must come after the issue date.")
        return data


class TrainingForm(forms.Form):
    module = forms.ModelChoiceField(queryset=TrainingModule.objects.none(), label="Module", empty_label=None)
    completed_on = forms.DateField(
        label="Completed on", widget=DateInput(), required=False, help_text="Today if empty."
    )

    def __init__(self, *args: Any, mentor: Mentor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = TrainingModule.objects.filter(  # type: ignore[attr-defined]
            organisation_id=mentor.hub.organisation_id, is_active=True
        )

    def clean_completed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("completed_on")
        not_in_future(value)
        return value


class ReferenceForm(forms.Form):
    referee = forms.CharField(
        label="Referee", max_length=200, help_text="Who gives the reference: a name, and how to reach them if useful."
    )
    relationship = forms.CharField(
        label="How they know her (optional)", max_length=100, required=False, help_text="e.g. employer, support worker"
    )
    outcome = forms.ChoiceField(label="Outcome", choices=MentorReference.Outcome.choices, widget=forms.RadioSelect)
    received_on = forms.DateField(label="Received on (optional)", widget=DateInput(), required=False)

    def clean_received_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("received_on")
        not_in_future(value)
        return value


class MentorProfileForm(forms.Form):
    lived_experience = forms.ModelMultipleChoiceField(
        queryset=NeedArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Her lived experience",
        help_text="Self-declared: only what she chooses to tell us.",
    )
    lived_experience_consent = forms.BooleanField(
        label="She agrees her lived experience is used to match her", required=False
    )
    share_lived_experience = forms.BooleanField(
        label="She agrees a mentee may be told which experiences they share",
        required=False,
        help_text="Only with her consent above.",
    )
    languages = forms.CharField(
        label="Languages she speaks", max_length=200, required=False, help_text="Separate with commas."
    )
    areas = forms.CharField(
        label="Places she can get to",
        max_length=300,
        required=False,
        help_text="Towns or districts, separated by commas.",
    )
    meeting_modes = forms.MultipleChoiceField(
        choices=MeetingMode.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Ways she can meet"
    )
    availability = forms.MultipleChoiceField(
        choices=AVAILABILITY_SLOTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="When she is usually free",
    )
    capacity = forms.IntegerField(
        label="Most mentees at once",
        min_value=0,
        max_value=6,
        help_text="0 to 6. Set 0 to take no new mentees for now.",
        error_messages=number_errors("Between 0 and 6."),
    )
    interests = forms.CharField(
        label="Interests", max_length=300, required=False, help_text="Separate with commas: walking, cooking…"
    )

    def __init__(self, *args: Any, mentor: Mentor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lived_experience"].queryset = NeedArea.objects.filter(  # type: ignore[attr-defined]
            Q(organisation__isnull=True) | Q(organisation_id=mentor.hub.organisation_id), is_active=True
        )

    def availability_rows(self) -> list[tuple[str, list[BoundWidget]]]:
        """The 21 slot checkboxes as a week: a row per day, a column per part of the day."""
        boxes = list(self["availability"])
        width = len(PARTS_OF_DAY)
        return [(label, boxes[i * width : (i + 1) * width]) for i, (_, label) in enumerate(DAYS)]

    @classmethod
    def initial_from(cls, mentor: Mentor) -> dict[str, Any]:
        return {
            "lived_experience": list(mentor.lived_experience.all()),
            "lived_experience_consent": mentor.lived_experience_consent,
            "share_lived_experience": mentor.share_lived_experience,
            "languages": mentor.languages,
            "areas": mentor.areas,
            "meeting_modes": mentor.meeting_modes,
            "availability": mentor.availability,
            "capacity": mentor.capacity,
            "interests": mentor.interests,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("share_lived_experience") and not data.get("lived_experience_consent"):
            self.add_error(
                "share_lived_experience", "She can agree to share only once she agrees her experience is used."
            )
        return data


class TrainingModuleForm(forms.Form):
    name = forms.CharField(label="New module", max_length=150)
    is_core = forms.TypedChoiceField(
        label="Is it core?",
        choices=[("true", "Core: needed before she can be matched"), ("false", "Optional")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        initial="true",
    )
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, choices=())
