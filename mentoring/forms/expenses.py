"""Forms for claims: a coordinator's query and the day it was paid, her answer, finance's export."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from mentoring.forms.shared import DateInput, not_in_future
from mentoring.models import ClaimState


class ClaimQueryForm(forms.Form):
    reason = forms.CharField(
        label="What do you need to know?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what you need to know, so she can answer."},
    )


class ClaimAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write your answer to the question."},
    )


class ClaimPaidForm(forms.Form):
    paid_on = forms.DateField(label="Paid on", widget=DateInput(), validators=[not_in_future], required=False)


class ClaimQueueFilter(forms.Form):
    state = forms.ChoiceField(label="Show", choices=ClaimState.choices, required=False)

    def chosen(self) -> str:
        if self.is_valid() and self.cleaned_data.get("state"):
            return str(self.cleaned_data["state"])
        return ClaimState.SUBMITTED


LONGEST_EXPORT_DAYS = 400


class ClaimExportForm(forms.Form):
    approved_from = forms.DateField(label="Approved from", widget=DateInput())
    approved_to = forms.DateField(label="Approved to (included)", widget=DateInput())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("approved_from"), cleaned.get("approved_to")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("approved_to", "The end can't be before the start.")
            elif (end - start).days > LONGEST_EXPORT_DAYS:
                self.add_error("approved_to", "Export at most a year and a month at a time.")
        return cleaned

    @staticmethod
    def this_month() -> dict[str, date]:
        today = timezone.localdate()
        return {"approved_from": today.replace(day=1), "approved_to": today}
