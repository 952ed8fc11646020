"""Forms for referral, consent, the needs assessment in her own words, goals and need areas."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from mentoring.forms.shared import DateInput, not_in_future, number_errors
from mentoring.models import (
    NEEDS_NOT_SAID_LABEL,
    AffectsNow,
    Assessment,
    Consent,
    Goal,
    Hub,
    MeetingMode,
    NeedArea,
    Referral,
    Role,
    User,
)
from mentoring.policies.people import hubs_for


class ReferralForm(forms.ModelForm):
    chosen_name = forms.CharField(
        label="What would she like to be called?",
        max_length=100,
        help_text="Her chosen name is used everywhere in Alongside.",
    )
    hub = forms.ModelChoiceField(queryset=Hub.objects.none(), label="Hub", empty_label=None)
    # On her record, not the referral's: asked here too so that a woman already known is noticed
    # before a second record is opened for her.
    date_of_birth = forms.DateField(label="Her date of birth (optional)", required=False, widget=DateInput())
    contact_details = forms.CharField(
        label="Her contact details (optional)",
        required=False,
        max_length=1000,
        help_text="Phone, email or address, as she gave them.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Referral
        fields = ["source", "referrer_organisation", "referrer_contact", "referred_on", "referrer_reason"]
        labels = {
            "source": "How did she come to us?",
            "referrer_organisation": "Referring organisation (optional)",
            "referrer_contact": "Referrer's contact details (optional)",
            "referred_on": "Date of referral",
            "referrer_reason": "Reason for referral, in the referrer's words (optional)",
        }
        help_texts = {"referrer_reason": "Kept apart from her own account of her needs."}
        widgets = {
            "source": forms.RadioSelect,
            "referred_on": DateInput(),
            "referrer_contact": forms.Textarea(attrs={"rows": 2}),
            "referrer_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, re_referral: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hubs = hubs_for(user, [Role.COORDINATOR])
        self.fields["hub"].queryset = hubs  # type: ignore[attr-defined]
        if re_referral:
            for name in ("chosen_name", "hub", "date_of_birth", "contact_details"):
                del self.fields[name]
        self.order_fields(["chosen_name", "date_of_birth", "contact_details", "hub", "source", "referred_on"])

    def clean_referred_on(self) -> date:
        value: date = self.cleaned_data["referred_on"]
        not_in_future(value)
        return value

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data.get("date_of_birth")
        not_in_future(value)
        return value


class ConsentForm(forms.ModelForm):
    given = forms.TypedChoiceField(
        label="Her decision",
        choices=[("true", "She gives consent"), ("false", "She withdraws or refuses consent")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Consent
        fields = ["kind", "given", "method", "decided_on", "what_she_was_told"]
        labels = {
            "kind": "Consent to",
            "method": "How she told us",
            "decided_on": "Date",
            "what_she_was_told": "What she was told",
        }
        help_texts = {"what_she_was_told": "No surprises: what we explained about how this will be used."}
        widgets = {"decided_on": DateInput(), "what_she_was_told": forms.Textarea(attrs={"rows": 2})}

    def clean_decided_on(self) -> date:
        value: date = self.cleaned_data["decided_on"]
        not_in_future(value)
        return value


RATING_CHOICES = [("", "Not rated")] + [(str(n), str(n)) for n in range(11)]


class AssessmentForm(forms.Form):
    """One form for intake and reviews: every need area at once, in her words, by her priorities."""

    assessed_on = forms.DateField(label="Date of this conversation", widget=DateInput())
    needs_not_said = forms.BooleanField(
        label=NEEDS_NOT_SAID_LABEL,
        required=False,
        help_text="Tick only if she said so. It is recorded with the date of this conversation and your name; "
        "a review can add her needs when she is ready.",
    )
    strengths = forms.CharField(
        label="Her strengths, in her words", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    interests = forms.CharField(
        label="What she enjoys or is interested in", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    shared_experience_wanted = forms.ModelMultipleChoiceField(
        queryset=NeedArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="She would like a mentor who has lived through…",
    )
    mentor_language = forms.CharField(label="Language she'd like her mentor to speak", max_length=100, required=False)
    meeting_modes = forms.MultipleChoiceField(
        choices=MeetingMode.choices, required=False, widget=forms.CheckboxSelectMultiple, label="How she'd like to meet"
    )
    days_and_times = forms.CharField(label="Days and times that suit her", max_length=200, required=False)
    reachable_area = forms.CharField(label="Where she can get to", max_length=200, required=False)

    def __init__(self, *args: Any, areas: list[NeedArea], sharing_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.sharing_allowed = sharing_allowed
        self.fields["shared_experience_wanted"].queryset = NeedArea.objects.filter(  # type: ignore[attr-defined]
            pk__in=[a.pk for a in areas]
        )
        for area in areas:
            prefix = f"need_{area.pk}_"
            self.fields[prefix + "affects"] = forms.ChoiceField(
                label="Does this affect her now?",
                required=False,
                choices=[("", "Not discussed"), *AffectsNow.choices],
                widget=forms.RadioSelect,
            )
            self.fields[prefix + "words"] = forms.CharField(
                label="In her words", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[prefix + "priority"] = forms.IntegerField(
                label="Her priority (1 matters most)",
                required=False,
                min_value=1,
                max_value=20,
                error_messages=number_errors("Her priority is a number from 1 (matters most) to 20."),
            )
            self.fields[prefix + "rating"] = forms.IntegerField(
                label="Her rating of how things are (0 very hard, 10 going well)",
                required=False,
                min_value=0,
                max_value=10,
                error_messages=number_errors("Her rating goes from 0 to 10."),
            )
            self.fields[prefix + "services"] = forms.CharField(
                label="Other services already involved", required=False, max_length=300
            )
            self.fields[prefix + "share"] = forms.BooleanField(
                label="Share this with her mentor",
                required=False,
                disabled=not sharing_allowed,
                help_text="" if sharing_allowed else "She hasn't consented to sharing with a mentor.",
            )

    def clean_assessed_on(self) -> date:
        value: date = self.cleaned_data["assessed_on"]
        not_in_future(value)
        return value

    def need_groups(self) -> list[tuple[NeedArea, list[forms.BoundField], bool]]:
        """(area, its fields, whether anything is filled in or wrong) for the template."""
        groups = []
        for area in self.areas:
            names = [
                f"need_{area.pk}_{suffix}" for suffix in ("affects", "words", "priority", "rating", "services", "share")
            ]
            bound = [self[name] for name in names]
            has_content = any(field.value() not in (None, "", False) for field in bound) or any(
                field.errors for field in bound
            )
            groups.append((area, bound, has_content))
        return groups

    def assessment_fields(self) -> dict[str, Any]:
        keys = (
            "assessed_on",
            "strengths",
            "interests",
            "mentor_language",
            "meeting_modes",
            "days_and_times",
            "reachable_area",
        )
        return {key: self.cleaned_data[key] for key in keys}

    def needs(self) -> dict[int, dict[str, Any]]:
        result = {}
        for area in self.areas:
            p = f"need_{area.pk}_"
            result[area.pk] = {
                "affects_now": self.cleaned_data[p + "affects"],
                "her_words": self.cleaned_data[p + "words"],
                "priority": self.cleaned_data[p + "priority"],
                "self_rating": self.cleaned_data[p + "rating"],
                "other_services": self.cleaned_data[p + "services"],
                "share_with_mentor": bool(self.cleaned_data[p + "share"]) and self.sharing_allowed,
            }
        return result

    @classmethod
    def initial_from(cls, assessment: Assessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "assessed_on": assessment.assessed_on,
            "needs_not_said": assessment.needs_not_said_on is not None,
            "strengths": assessment.strengths,
            "interests": assessment.interests,
            "shared_experience_wanted": list(assessment.shared_experience_wanted.all()),
            "mentor_language": assessment.mentor_language,
            "meeting_modes": assessment.meeting_modes,
            "days_and_times": assessment.days_and_times,
            "reachable_area": assessment.reachable_area,
        }
        for need in assessment.needs.all():
            p = f"need_{need.need_area_id}_"
            initial.update(
                {
                    p + "affects": need.affects_now,
                    p + "words": need.her_words,
                    p + "priority": need.priority,
                    p + "rating": need.self_rating,
                    p + "services": need.other_services,
                    p + "share": need.share_with_mentor,
                }
            )
        return initial


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["her_words", "need_area", "share_with_mentor"]
        labels = {
            "her_words": "Her goal, in her words",
            "need_area": "Linked need area (optional)",
            "share_with_mentor": "Share this goal with her mentor",
        }
        widgets = {"her_words": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, areas: list[NeedArea], sharing_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["her_words"].required = True
        self.fields["need_area"].queryset = NeedArea.objects.filter(pk__in=[a.pk for a in areas])  # type: ignore[attr-defined]
        if not sharing_allowed:
            self.fields["share_with_mentor"].disabled = True
            self.fields["share_with_mentor"].help_text = "She hasn't consented to sharing with a mentor."


class GoalProgressForm(forms.Form):
    note = forms.CharField(label="Progress, in her words", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label="Where it stands", choices=Goal.Outcome.choices)


class NeedAreaForm(forms.Form):
    name = forms.CharField(label="New need area", max_length=100)
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, choices=())
