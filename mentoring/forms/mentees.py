"""Forms on her record: profile and safe-contact details, status, and the reason for a reveal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from mentoring.forms.shared import DateInput, not_in_future
from mentoring.models import (
    MENTEE_PROFILE_FIELDS,
    STATUS_TRANSITIONS,
    ContactChannel,
    Mentee,
    MenteeStatus,
)


class RevealReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see her legal name?", max_length=200, help_text="Recorded in the access log."
    )


class MenteeProfileForm(forms.ModelForm):
    class Meta:
        model = Mentee
        fields = list(MENTEE_PROFILE_FIELDS)
        labels = {
            "chosen_name": "Chosen name",
            "legal_name": "Legal name (optional)",
            "date_of_birth": "Date of birth (optional)",
            "age_band": "Or her age band",
            "contact_details": "Contact details",
            "safe_channels": "Which ways of contacting her are safe?",
            "safe_times": "Safe times to contact her",
            "voicemail_safe": "Is it safe to leave a voicemail?",
            "letters_safe": "Is it safe to send letters?",
            "code_word": "Code word",
            "languages": "Languages she speaks",
            "interpreter_needed": "She would like an interpreter",
            "access_needs": "Access needs",
            "children": "Children (optional)",
        }
        widgets = {
            "date_of_birth": DateInput(),
            "legal_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "contact_details": forms.Textarea(attrs={"rows": 2}),
            "safe_times": forms.TextInput(),
            "code_word": forms.TextInput(attrs={"autocomplete": "off"}),
            "access_needs": forms.Textarea(attrs={"rows": 2}),
            "children": forms.Textarea(attrs={"rows": 2}),
        }

    safe_channels = forms.MultipleChoiceField(
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which ways of contacting her are safe?",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("voicemail_safe", "letters_safe"):
            widget = self.fields[name].widget
            assert isinstance(widget, forms.NullBooleanSelect)
            widget.choices = [("unknown", "Not asked yet"), ("true", "Yes"), ("false", "No")]

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data.get("date_of_birth")
        not_in_future(value)
        return value


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="Move her to", choices=())
    reason = forms.CharField(label="Reason", max_length=300, required=False)

    def __init__(self, *args: Any, mentee: Mentee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(mentee.status, ())
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in MenteeStatus.choices if v in allowed]
