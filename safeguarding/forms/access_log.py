"""The access log's filters: a GET form of ids and choices (never a name in the URL)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from mentoring.forms.shared import DateInput
from mentoring.models import AccessLog

# A model label ("mentoring.mentee") and a record's id, as the log stores them.
RECORD_TYPE = re.compile(r"^[a-z_]+\.[a-z_]+$")
RECORD_ID = re.compile(r"^\d{1,18}$")


def _day(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=DateInput(), error_messages={"invalid": "Enter a date, like 3 May 2026."}
    )


class AccessLogFilterForm(forms.Form):
    """Who, which record, what kind and when. Each field that doesn't make sense is said so
    beside it and left as she typed it; the others still narrow the log."""

    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *AccessLog.Action.choices])
    type = forms.CharField(required=False, widget=forms.HiddenInput)
    id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, people: list[tuple[int, str]]) -> None:
        super().__init__(data)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [("", "Anyone"), *((str(pk), name) for pk, name in people)]
        self.fields["person"].error_messages["invalid_choice"] = "Choose someone from the list."
        self.fields["kind"].error_messages["invalid_choice"] = "Choose a kind from the list."
        # "from" is a Python keyword, so these two are added by name: the URL reads ?from=…&to=…
        self.fields["from"] = _day("From")
        self.fields["to"] = _day("To")
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs["class"] = (
                    "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )

    def full_clean(self) -> None:
        super().full_clean()
        # Her mistake is read out with the field it belongs to.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {
                        "aria-invalid": "true",
                        "aria-describedby": f"{self[name].auto_id}-error",
                        "class": self.fields[name].widget.attrs.get("class", "") + " is-invalid",
                    }
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("from"), cleaned.get("to")
        if since and until and since > until:
            self.add_error("to", "This date is before the 'From' date: swap them, or change one.")
            cleaned.pop("from", None)
            cleaned.pop("to", None)
        record_type, record_id = cleaned.get("type", ""), cleaned.get("id", "")
        if not (RECORD_TYPE.match(record_type or "") and RECORD_ID.match(record_id or "")):
            # Only a row's own link sets these; anything else is ignored, not shown back.
            cleaned["type"] = cleaned["id"] = ""
        return cleaned
