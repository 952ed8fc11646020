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


class MenteeEditForm(MenteeProfileForm):
    """Her profile, with the legal name write-only: it is shown only through the logged reveal on
    her record, so here it can be replaced or removed, never read."""

    remove_legal_name = forms.BooleanField(label="Remove her legal name", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_legal_name = bool(self.instance.legal_name)
        self.initial["legal_name"] = ""
        field = self.fields["legal_name"]
        field.label = "Replace her legal name (optional)"
        field.help_text = (
            "Her legal name is not shown here. "
            + ("One is on record: " if self.has_legal_name else "None is on record. ")
            + (
                "see it with “Show legal name” on her record (logged), or type a new one to replace it."
                if self.has_legal_name
                else ""
            )
        )
        if not self.has_legal_name:
            del self.fields["remove_legal_name"]
        else:
            # Beside the box it belongs to, not at the end of the form.
            order = [name for name in self.fields if name != "remove_legal_name"]
            order.insert(order.index("legal_name") + 1, "remove_legal_name")
            self.order_fields(order)

    def _post_clean(self) -> None:
        # A ModelForm copies every field onto the instance it edits; her stored legal name must not
        # be overwritten by the empty box the form shows (the service saves only what changed).
        legal_name = self.instance.legal_name
        super()._post_clean()  # type: ignore[misc]
        self.instance.legal_name = legal_name

    def profile_changes(self) -> dict[str, Any]:
        """What the profile service should save: the legal name only when replaced or removed."""
        changes = {name: value for name, value in self.cleaned_data.items() if name in MENTEE_PROFILE_FIELDS}
        if self.cleaned_data.get("remove_legal_name"):
            changes["legal_name"] = ""
        elif not changes.get("legal_name"):
            changes.pop("legal_name", None)
        return changes


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="Move her to", choices=())
    reason = forms.CharField(label="Reason", max_length=300, required=False)

    def __init__(self, *args: Any, mentee: Mentee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(mentee.status, ())
        field = self.fields["to_status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in MenteeStatus.choices if v in allowed]
