"""Recording a relationship between a mentor and a woman before they are matched."""

from __future__ import annotations

from typing import Any

from django import forms

from mentoring.models import (
    CLOSED_STATUSES,
    RELATIONSHIP_DEFAULT_EFFECT,
    Mentee,
    Mentor,
    RecordedRelationship,
    RelationshipKind,
)


def _effect_choices() -> list[tuple[str, str]]:
    flagged = [
        str(RelationshipKind(kind).label) for kind, effect in RELATIONSHIP_DEFAULT_EFFECT.items() if effect == "flag"
    ]
    usual = "The usual for this kind: never match them"
    if flagged:
        usual += f" (flag only for “{', '.join(flagged).lower()}”)"
    return [("", usual), *RecordedRelationship.Effect.choices]


class _PersonChoiceField(forms.ModelChoiceField):
    """Lists a woman by her chosen name, a mentor by her name (a mentee's __str__ names nobody)."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.chosen_name if isinstance(obj, Mentee) else str(obj)


class RelationshipForm(forms.Form):
    """Recorded from either side: the other person is chosen from the same hub."""

    other = _PersonChoiceField(queryset=Mentee.objects.none(), label="")
    kind = forms.ChoiceField(
        label="What is the relationship?", choices=RelationshipKind.choices, widget=forms.RadioSelect
    )
    effect = forms.ChoiceField(label="What it means for matching", choices=(), required=False, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only what the coordinator needs to know.",
    )

    def __init__(self, *args: Any, mentee: Mentee | None = None, mentor: Mentor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        effect = self.fields["effect"]
        assert isinstance(effect, forms.ChoiceField)
        effect.choices = _effect_choices()
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)
        if mentor is not None:
            other.label = "Which woman?"
            other.queryset = (
                Mentee.objects.filter(hub_id=mentor.hub_id).exclude(status__in=CLOSED_STATUSES).order_by("chosen_name")
            )
        elif mentee is not None:
            other.label = "Which mentor?"
            other.queryset = (
                Mentor.objects.filter(hub_id=mentee.hub_id).select_related("user").order_by("user__display_name")
            )
        else:
            raise ValueError("A relationship form needs the mentee or the mentor it is recorded on.")
