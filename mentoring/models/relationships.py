"""Relationships between a mentor and a woman recorded before they are matched (friends, family, a
former partner's circle): the matcher honours them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedTextField
from mentoring.models.mentees import Mentee
from mentoring.models.mentors import Mentor
from mentoring.models.people import User


class RelationshipKind(models.TextChoices):
    FRIENDS = "friends", "Already friends"
    SAME_HOUSEHOLD = "same_household", "Same household or hostel"
    KNOWN = "known", "Known to each other"
    KNOWS_HARMFUL_PERSON = "knows_harmful", "Mentor knows someone harmful to her"
    MENTEE_ASKED_NOT = "mentee_asked_not", "She asked not to be matched with this mentor"


# What each kind does to a match unless the coordinator says otherwise. Pre-existing friendships
# blur the role (the research); someone harmful within reach, or her own "no", rules a pair out.
RELATIONSHIP_DEFAULT_EFFECT: dict[str, str] = {
    RelationshipKind.FRIENDS: "exclude",
    RelationshipKind.SAME_HOUSEHOLD: "exclude",
    RelationshipKind.KNOWN: "flag",
    RelationshipKind.KNOWS_HARMFUL_PERSON: "exclude",
    RelationshipKind.MENTEE_ASKED_NOT: "exclude",
}


class RecordedRelationship(models.Model):
    """A known relationship between a woman and a mentor that rules out or flags their pairing."""

    class Effect(models.TextChoices):
        EXCLUDE = "exclude", "Never match them"
        FLAG = "flag", "Flag it when matching"

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="relationships")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(max_length=24, choices=RelationshipKind.choices)
    effect = models.CharField(max_length=8, choices=Effect.choices)
    note = EncryptedTextField(help_text="Optional. Only what the coordinator needs to know.")
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    # Withdrawn, not deleted: the history of why a pair was ruled out stays.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["mentee", "withdrawn_at"]), models.Index(fields=["mentor", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_effect_display()})"
