"""The session log: short, with big tap targets and sensible defaults, on her phone."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms

from mentoring.forms.shared import DateInput, not_in_future, number_errors
from mentoring.models import LONGEST_SESSION_MINUTES, Activity, MentorWellbeing, PlaceType, SessionMode

MINUTES_MESSAGE = "How long was it? Between 1 minute and 12 hours, in minutes."
MONEY_MESSAGE = "An amount in pounds and pence, like 3.50."


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0"),
        max_digits=7,
        decimal_places=2,
        error_messages={
            **number_errors(MONEY_MESSAGE),
            "max_digits": MONEY_MESSAGE,
            "max_decimal_places": MONEY_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )


class SessionLogForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    held_on = forms.DateField(label="When did you meet?", widget=DateInput(), validators=[not_in_future])
    duration_minutes = forms.IntegerField(
        label="How long (minutes)",
        min_value=1,
        max_value=LONGEST_SESSION_MINUTES,
        error_messages={**number_errors(MINUTES_MESSAGE), "required": MINUTES_MESSAGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": str(LONGEST_SESSION_MINUTES)}),
    )
    mode = forms.ChoiceField(label="How did you meet?", choices=SessionMode.choices, widget=forms.RadioSelect)
    place_type = forms.ChoiceField(
        label="What kind of place? (never the address)",
        choices=[("", "Not in person"), *PlaceType.choices],
        required=False,
    )
    need_areas = forms.TypedMultipleChoiceField(
        label="What did you work on?", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    activities = forms.MultipleChoiceField(
        label="What did you do?", choices=Activity.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label="Short notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Worried about her safety? Don't write it here: use “I'm worried about her safety”.",
    )
    next_steps = forms.CharField(
        label="Next steps (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    wellbeing = forms.ChoiceField(
        label="How has this session left you?",
        choices=MentorWellbeing.choices,
        initial=MentorWellbeing.FINE,
        widget=forms.RadioSelect,
        help_text="“I need to talk today” tells your coordinator now; the message says nothing of the session.",
    )
    travel_miles = forms.DecimalField(
        label="Miles driven (optional)",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        max_digits=5,
        decimal_places=1,
        error_messages={
            **number_errors("Miles travelled: between 0 and 500."),
            "max_decimal_places": "Miles to one decimal place, like 4.5.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0"}),
    )
    travel_fare = _money("Bus or train fares, £ (optional)")
    travel_minutes = forms.IntegerField(
        label="Travel time, minutes (optional)",
        required=False,
        min_value=0,
        max_value=LONGEST_SESSION_MINUTES,
        error_messages=number_errors("Travel time: between 0 minutes and 12 hours."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )
    expenses_amount = _money("Other expenses, £ (optional)")
    expenses_what = forms.CharField(label="What were they for?", required=False, max_length=200)

    def __init__(self, *args: Any, need_areas: list[tuple[int, str, bool]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["need_areas"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, f"{name} (hers)" if hers else name) for pk, name, hers in need_areas]
        if not self.is_bound and not self.initial.get("client_id"):
            self.initial["client_id"] = uuid.uuid4()

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("client_id", None)
        data["notes"] = data.get("notes") or ""
        data["next_steps"] = data.get("next_steps") or ""
        data["expenses_what"] = data.get("expenses_what") or ""
        return data


class SessionEditForm(SessionLogForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
