"""Per-hub settings of the matcher."""

from __future__ import annotations

from dataclasses import fields

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from mentoring.matching.engine import Weights
from mentoring.models.people import Hub

# The engine's weights are the defaults: one definition, in the engine that gives them meaning.
DEFAULT_WEIGHTS = Weights()
# How many of her needs count as her priorities when none is set for the hub.
DEFAULT_PRIORITY_NEEDS = 3


class MatchingSettings(models.Model):
    """Per-hub weights of the matcher: points each reason is worth. Defaults suit most hubs."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="matching_settings")
    lived_experience_priority = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.lived_experience_priority),
        help_text="Per need area among her top priorities the mentor has lived experience of.",
    )
    lived_experience_wanted = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.lived_experience_wanted),
        help_text="Per area where she asked for a mentor who has been through it.",
    )
    language = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.language), help_text="They share a language."
    )
    meeting_mode = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.meeting_mode), help_text="A way of meeting suits them both."
    )
    availability = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.availability), help_text="Full points at three shared times a week."
    )
    area = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.area), help_text="The mentor can get to where she can."
    )
    capacity = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.capacity), help_text="The mentor has room: spreads the load."
    )
    interests = models.PositiveSmallIntegerField(
        default=int(DEFAULT_WEIGHTS.interests), help_text="Per shared interest, at most two."
    )
    priority_needs = models.PositiveSmallIntegerField(
        default=DEFAULT_PRIORITY_NEEDS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many of her needs count.",
    )

    WEIGHT_FIELDS = tuple(item.name for item in fields(Weights))

    def __str__(self) -> str:
        return f"Matching settings for {self.hub}"
