"""The hub's matching weights."""

from __future__ import annotations

from typing import Any

from django import forms

from mentoring.forms.shared import number_errors
from mentoring.models import (
    MatchingSettings,
)


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
        for name, field in self.fields.items():
            field.required = False
            if name == "priority_needs":
                field.error_messages.update(number_errors("Between 1 and 10 of her needs."))
            else:
                field.error_messages.update(number_errors("Points are a whole number, 0 or more."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        return data
