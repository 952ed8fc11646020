"""Forms for claims: a coordinator's query and the day it was paid, her answer, finance's export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone

from mentoring.forms.shared import DateInput, not_in_future
from mentoring.models import ClaimState


class ClaimQueryForm(forms.Form):
    reason = forms.CharField(
        label="What do you need to know?",
        help_text="She sees this on her claims: don't name the woman.",
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


PENCE_MESSAGE = "Pence a mile, like 45 (at most 999.99)."


def _pence(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": PENCE_MESSAGE,
            "invalid": PENCE_MESSAGE,
            "min_value": PENCE_MESSAGE,
            "max_digits": PENCE_MESSAGE,
            "max_decimal_places": PENCE_MESSAGE,
            "max_whole_digits": PENCE_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )


class MileageRateForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, choices=())
    effective_from = forms.DateField(label="Paid from (the date of the journey)", widget=DateInput())
    first_pence = _pence("Pence a mile, first 10,000 miles in a tax year")
    after_pence = _pence("Pence a mile after 10,000")
