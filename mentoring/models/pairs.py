"""Pairs of a mentor and a woman: their lifecycle, reviews and the agreement they make together."""

from __future__ import annotations

from datetime import timedelta

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from mentoring.models.intake import ConsentMethod
from mentoring.models.mentees import ContactChannel, Mentee
from mentoring.models.mentors import Mentor
from mentoring.models.people import Hub, User


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AWAITING_CONSENT = "awaiting_consent", "Awaiting consent"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"
    # A proposal that didn't go ahead: rejected by the coordinator or declined by either woman.
    NOT_TAKEN = "not_taken", "Didn't go ahead"


PAIR_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PairStatus.PROPOSED: (PairStatus.AWAITING_CONSENT, PairStatus.NOT_TAKEN),
    PairStatus.AWAITING_CONSENT: (PairStatus.ACTIVE, PairStatus.NOT_TAKEN),
    PairStatus.ACTIVE: (PairStatus.PAUSED, PairStatus.ENDED),
    PairStatus.PAUSED: (PairStatus.ACTIVE, PairStatus.ENDED),
    PairStatus.ENDED: (),
    PairStatus.NOT_TAKEN: (),
}
# These take one of the mentor's places.
OPEN_PAIR_STATUSES = (PairStatus.PROPOSED, PairStatus.AWAITING_CONSENT, PairStatus.ACTIVE, PairStatus.PAUSED)
# Proposed and not yet agreed: the coordinator's decision or the two women's answers are awaited.
WAITING_PAIR_STATUSES = (PairStatus.PROPOSED, PairStatus.AWAITING_CONSENT)


class EndReason(models.TextChoices):
    GOALS_MET = "goals_met", "Her goals were met"
    MOVED_ON = "moved_on", "She moved on"
    MENTOR_LEFT = "mentor_left", "The mentor left"
    MUTUAL = "mutual", "Agreed together"
    OTHER = "other", "Other"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    fields=["hub", "mentee", "mentor", "status", "activated_on", "ended_on", "next_review_on"],
    model_name="PairEvent",
    obj_field=pghistory.ObjForeignKey(related_name="events"),
)
class Pair(models.Model):
    """One mentor walking alongside one woman, from proposal to a good ending."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="pairs")
    mentee = models.ForeignKey(Mentee, on_delete=models.PROTECT, related_name="pairs")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="pairs")
    status = models.CharField(max_length=16, choices=PairStatus.choices, default=PairStatus.PROPOSED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Why the matcher suggested them, as shown then: [[label, points], ...]. Encrypted: the labels
    # name where she can get to and the languages she speaks.
    score = models.FloatField(null=True, blank=True)
    reasons = EncryptedJSONField(default=list, blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    # Each woman agrees to the pairing: when and how it was recorded.
    mentee_consent_on = models.DateField(null=True, blank=True)
    mentee_consent_method = models.CharField(max_length=16, choices=ConsentMethod.choices, blank=True)
    mentee_consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentor_consent_on = models.DateField(null=True, blank=True)
    mentor_consent_method = models.CharField(max_length=16, choices=ConsentMethod.choices, blank=True)
    mentor_consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # The newest session's date, kept by the session services: lists and the quiet-pairs check
    # read it without going through every session.
    last_contact_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    her_feedback = EncryptedTextField(help_text="What she said about her mentoring, in her words.")
    wants_new_mentor = models.BooleanField(null=True, blank=True)
    not_taken_reason = EncryptedCharField(max_length=200)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["hub", "status", "next_review_on"]),
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
            # The pairs list's two orders: walking these, a page stops after 25 rows instead
            # of sorting every pair of her hubs.
            models.Index(fields=["next_review_on", "id"], name="pair_next_review_order"),
            models.Index(fields=["-ended_on", "-id"], name="pair_ended_order"),
        ]
        constraints = [
            # A woman has one mentor at a time: at most one open pair each.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status__in=[status.value for status in OPEN_PAIR_STATUSES]),
                name="pair_one_open_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"Pair {self.pk} ({self.get_status_display()})"

    @property
    def both_consented(self) -> bool:
        return bool(self.mentee_consent_on and self.mentor_consent_on)

    @property
    def review_due(self) -> bool:
        return bool(self.next_review_on and self.next_review_on <= timezone.localdate())

    @property
    def reason_list(self) -> list[tuple[str, float]]:
        return [(str(label), float(points)) for label, points in self.reasons]


FIRST_REVIEW_AFTER = timedelta(weeks=6)


class PairStatusChange(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=PairStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PairStatus.choices)
    changed_on = models.DateField(default=timezone.localdate)
    reason = EncryptedCharField(max_length=200)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class PairReview(models.Model):
    """A check on how the pairing is going: after six weeks, then at the hub's interval."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(default=timezone.localdate)
    notes = EncryptedTextField()
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Pair review {self.pk}"


class PairAgreement(models.Model):
    """Co-created at the first meeting and reviewable. Each change is a new version; all are kept."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveSmallIntegerField()
    agreed_on = models.DateField(default=timezone.localdate)
    contact_channels = ArrayField(
        models.CharField(max_length=16, choices=ContactChannel.choices), default=list, blank=True
    )
    contact_hours = EncryptedTextField(help_text="When they contact each other, and when not.")
    social_media = EncryptedTextField(help_text="Whether they connect on social media.")
    meeting_places = EncryptedTextField(help_text="Where they meet.")
    if_friendship_grows = EncryptedTextField(help_text="What they'll do if a friendship grows.")
    if_worried_about_safety = EncryptedTextField(
        help_text="What the mentor will do if she is worried about her safety: no surprises."
    )
    anything_else = EncryptedTextField()
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["pair", "version"], name="pair_agreement_version_once")]

    def __str__(self) -> str:
        return f"Pair agreement v{self.version}"

    def contact_channel_choices(self) -> list[tuple[str, str]]:
        """(way, label) for each way they agreed, so a page can mark those no longer safe."""
        labels = dict(ContactChannel.choices)
        return [(channel, str(labels.get(channel, channel))) for channel in self.contact_channels]


# What a pair agrees, in the order the form asks: each save of these is a new version.
AGREEMENT_FIELDS = (
    "agreed_on",
    "contact_channels",
    "contact_hours",
    "social_media",
    "meeting_places",
    "if_friendship_grows",
    "if_worried_about_safety",
    "anything_else",
)
