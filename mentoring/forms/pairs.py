"""Forms on a pair: consent, status, ending, reviews and the pair agreement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from mentoring.forms.shared import DateInput, not_in_future
from mentoring.models import AGREEMENT_FIELDS, ConsentMethod, ContactChannel, EndReason, PairAgreement, PairStatus


class PairConsentForm(forms.Form):
    who = forms.ChoiceField(
        choices=[("mentee", "She (the mentee)"), ("mentor", "The mentor")], widget=forms.HiddenInput
    )
    method = forms.ChoiceField(label="How did she agree?", choices=ConsentMethod.choices)
    on = forms.DateField(label="When", widget=DateInput(), validators=[not_in_future], initial=timezone.localdate)


class PairStatusForm(forms.Form):
    ACTIONS = {
        "ask": PairStatus.AWAITING_CONSENT,
        "activate": PairStatus.ACTIVE,
        "pause": PairStatus.PAUSED,
        "resume": PairStatus.ACTIVE,
        "not_taken": PairStatus.NOT_TAKEN,
    }
    action = forms.ChoiceField(choices=[(key, key) for key in ACTIONS], widget=forms.HiddenInput)
    reason = forms.CharField(label="Why (a few words)", max_length=200, required=False)


class PairEndForm(forms.Form):
    end_reason = forms.ChoiceField(label="Why is the pair ending?", choices=EndReason.choices, widget=forms.RadioSelect)
    on = forms.DateField(label="Ended on", widget=DateInput(), validators=[not_in_future], initial=timezone.localdate)
    her_feedback = forms.CharField(
        label="What she said about her mentoring, in her words (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    wants_new_mentor = forms.TypedChoiceField(
        label="Would she like a new mentor?",
        choices=[("yes", "Yes: put her back on the waiting list"), ("no", "No"), ("", "She didn't say")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class PairReviewForm(forms.Form):
    on = forms.DateField(
        label="Reviewed on", widget=DateInput(), validators=[not_in_future], initial=timezone.localdate
    )
    notes = forms.CharField(
        label="How is it going? (for her coordinator)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PairAgreementForm(forms.ModelForm):
    class Meta:
        model = PairAgreement
        fields = list(AGREEMENT_FIELDS)  # what the service saves as a new version
        labels = {
            "agreed_on": "Agreed on",
            "contact_channels": "How they keep in touch",
            "contact_hours": "Contact hours",
            "social_media": "Social media",
            "meeting_places": "Where they meet",
            "if_friendship_grows": "If a friendship grows",
            "if_worried_about_safety": "If the mentor is worried about her safety",
            "anything_else": "Anything else they agreed",
        }
        help_texts = {
            "contact_hours": "When they can contact each other, and when not.",
            "social_media": "Whether they connect on social media, and how.",
            "if_friendship_grows": "What they'll do if they become friends.",
            "if_worried_about_safety": "No surprises: what the mentor will do, and that she will be told first.",
        }
        widgets = {"agreed_on": DateInput()}

    contact_channels = forms.MultipleChoiceField(
        label="How they keep in touch",
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, safe_ways: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the ways she has marked safe are offered. The field itself accepts any way, so a
        # page left open while her record changed is refused by the service, which says why.
        field = self.fields["contact_channels"]
        assert isinstance(field.widget, forms.CheckboxSelectMultiple)
        field.widget.choices = [(value, label) for value, label in ContactChannel.choices if value in safe_ways]
        agreed_before = self.initial.get("contact_channels") or []
        no_longer_safe = set(agreed_before) - set(safe_ways)
        dropped = [str(label) for value, label in ContactChannel.choices if value in no_longer_safe]
        if not self.is_bound:
            self.initial["contact_channels"] = [value for value in agreed_before if value in safe_ways]
        if not safe_ways:
            field.help_text = "No safe ways to contact her are recorded yet: her coordinator adds them on her record."
        else:
            field.help_text = "Only the ways she has marked safe on her record are offered."
        if dropped:
            field.help_text += f" Agreed before but no longer safe, so not offered: {', '.join(dropped)}."
        for name in ("contact_hours", "social_media", "meeting_places", "if_friendship_grows"):
            self.fields[name].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["if_worried_about_safety"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["anything_else"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["agreed_on"].validators.append(not_in_future)
        self.fields["if_worried_about_safety"].required = True
