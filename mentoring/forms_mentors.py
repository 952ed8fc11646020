"""Forms for the coordinator's mentor screens and the org admin's curriculum and matching weights."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.forms.boundfield import BoundWidget

from mentoring.forms import DateInput, not_in_future
from mentoring.models import (
    AVAILABILITY_SLOTS,
    DAYS,
    PARTS_OF_DAY,
    RELATIONSHIP_DEFAULT_EFFECT,
    DbsLevel,
    MatchingSettings,
    MeetingMode,
    Mentee,
    Mentor,
    MentorReference,
    MentorStage,
    NeedArea,
    RecordedRelationship,
    RelationshipKind,
    TrainingModule,
)
from mentoring.services.intake import CLOSED_STATUSES


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
        error_messages={"min_value": "Between 0 and 6.", "max_value": "Between 0 and 6."},
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


def _effect_choices() -> list[tuple[str, str]]:
    flagged = [
        str(RelationshipKind(kind).label) for kind, effect in RELATIONSHIP_DEFAULT_EFFECT.items() if effect == "flag"
    ]
    usual = "The usual for this kind: never match them"
    if flagged:
        usual += f" (flag only for “{', '.join(flagged).lower()}”)"
    return [("", usual), *RecordedRelationship.Effect.choices]


class _PersonChoiceField(forms.ModelChoiceField):
    """Lists a woman by her chosen name, a mentor by her name (a mentee's __str__ names nobody)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.chosen_name if isinstance(obj, Mentee) else str(obj)


class RelationshipForm(forms.Form):
    """Recorded from either side: the other person is chosen from the same hub."""

    other = _PersonChoiceField(queryset=Mentee.objects.none(), label="")
    kind = forms.ChoiceField(
        label="What is the relationship?", choices=RelationshipKind.choices, widget=forms.RadioSelect
    )
    effect = forms.ChoiceField(label="What it means for matching", choices=(), required=False, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only what the coordinator needs to know.",
    )

    def __init__(self, *args: Any, mentee: Mentee | None = None, mentor: Mentor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        effect = self.fields["effect"]
        assert isinstance(effect, forms.ChoiceField)
        effect.choices = _effect_choices()
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)
        if mentor is not None:
            other.label = "Which woman?"
            other.queryset = (
                Mentee.objects.filter(hub_id=mentor.hub_id).exclude(status__in=CLOSED_STATUSES).order_by("chosen_name")
            )
        elif mentee is not None:
            other.label = "Which mentor?"
            other.queryset = (
                Mentor.objects.filter(hub_id=mentee.hub_id).select_related("user").order_by("user__display_name")
            )
        else:
            raise ValueError("A relationship form needs the mentee or the mentor it is recorded on.")


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


class MatchingWeightsForm(forms.ModelForm):
    """The hub's matching weights: points each reason is worth."""

    class Meta:
        model = MatchingSettings
        fields = [*MatchingSettings.WEIGHT_FIELDS, "priority_needs"]
        labels = {
            "lived_experience_priority": "Shared lived experience on her priority needs (points per need)",
            "lived_experience_wanted": "Shared lived experience she asked for (points per area)",
            "language": "Shared language",
            "meeting_mode": "A way of meeting that suits them both",
            "availability": "Shared free times",
            "area": "The mentor can get to her area",
            "capacity": "The mentor has room",
            "interests": "Shared interests (points each, at most two)",
            "priority_needs": "How many of her needs count as priorities",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An empty box keeps the weight it had, so saving the review interval alone never
        # resets the hub's weights.
        for field in self.fields.values():
            field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        return data
