"""Widgets and validators every form module uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError("This date can't be in the future.")


def number_errors(message: str) -> dict[str, str]:
    """The product's one sentence for a number out of range or not a number, in place of Django's
    "Ensure this value is greater than or equal to …", which otherwise shows beside it."""
    return {"min_value": message, "max_value": message, "invalid": message}
