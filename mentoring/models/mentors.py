"""Mentors, their training and checks, recorded relationships, matching settings, and pairs.

Peer mentors are volunteers with lived experience. The research found that shared experience
is what makes peer mentoring work, that pre-existing friendships blur the role, and that
boundaries work best as agreements rather than rules: hence lived-experience areas (used only
with her consent), recorded relationships the matcher honours, and a pair agreement per pair.
"""

from __future__ import annotations

from datetime import date, timedelta

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedTextField
from mentoring.models import (
    AVAILABILITY_SLOTS,
    ContactChannel,
    Hub,
    MeetingMode,
    Mentee,
    NeedArea,
    Organisation,
    User,
)

__all__ = [
    "DBS_RENEWAL_YEARS",
    "OPEN_PAIR_STATUSES",
    "PAIR_TRANSITIONS",
    "DbsLevel",
    "EndReason",
    "MatchingSettings",
    "Mentor",
    "MentorReference",
    "MentorStage",
    "MentorStageChange",
    "Pair",
    "PairAgreement",
    "PairReview",
    "PairStatus",
    "PairStatusChange",
    "RecordedRelationship",
    "RelationshipKind",
    "TrainingCompletion",
    "TrainingModule",
]


class MentorStage(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry"
    APPLICATION = "application", "Application"
    REFERENCES = "references", "References"
    DBS_CHECK = "dbs_check", "DBS check"
    TRAINING = "training", "Training"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class DbsLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


# Many organisations renew a volunteer's DBS check every three years; the coordinator can set
# another renewal date when she records the check.
DBS_RENEWAL_YEARS = 3


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    # The certificate number is encrypted and not copied into the history.
    fields=["hub", "stage", "capacity", "lived_experience_consent", "dbs_level", "dbs_issued_on", "dbs_renewal_due"],
    model_name="MentorEvent",
    obj_field=pghistory.ObjForeignKey(related_name="events"),
)
class Mentor(models.Model):
    """A volunteer peer mentor's record. One per person; she mentors in one hub."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentor_record")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="mentors")
    stage = models.CharField(max_length=16, choices=MentorStage.choices, default=MentorStage.ENQUIRY)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    # Lived experience is self-declared and used for matching only with her consent; a mentee
    # is told of it only if the mentor agrees (DESIGN.md, "Strength").
    lived_experience = models.ManyToManyField(NeedArea, blank=True, related_name="+")
    lived_experience_consent = models.BooleanField(
        default=False, help_text="She agrees her lived experience is used to match her."
    )
    lived_experience_consent_on = models.DateField(null=True, blank=True)
    share_lived_experience = models.BooleanField(
        default=False, help_text="She agrees a mentee may be told which experiences they share."
    )
    languages = models.CharField(max_length=200, blank=True, default="English", help_text="Separate with commas.")
    areas = models.CharField(
        max_length=300, blank=True, help_text="Places she can get to, separated by commas (towns, districts)."
    )
    meeting_modes = ArrayField(models.CharField(max_length=16, choices=MeetingMode.choices), default=list, blank=True)
    availability = ArrayField(models.CharField(max_length=8, choices=AVAILABILITY_SLOTS), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(0), MaxValueValidator(6)], help_text="Most active pairs at once."
    )
    interests = models.CharField(max_length=300, blank=True, help_text="Separate with commas: walking, cooking…")
    dbs_level = models.CharField(max_length=16, choices=DbsLevel.choices, blank=True)
    dbs_certificate_number = EncryptedTextField()
    dbs_issued_on = models.DateField(null=True, blank=True)
    dbs_renewal_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["user__display_name", "pk"]
        indexes = [models.Index(fields=["hub", "stage"]), models.Index(fields=["hub", "dbs_renewal_due"])]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user)

    def dbs_valid_on(self, day: date) -> bool:
        return bool(self.dbs_issued_on and self.dbs_renewal_due and self.dbs_renewal_due > day)


class MentorStageChange(models.Model):
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=MentorStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=MentorStage.choices)
    changed_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class TrainingModule(models.Model):
    """The organisation's curriculum. Core modules must be complete before she is matched."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_modules")
    name = models.CharField(max_length=150)
    is_core = models.BooleanField(default=True, help_text="Needed before she can be matched.")
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="training_module_unique_name")]

    def __str__(self) -> str:
        return self.name


class TrainingCompletion(models.Model):
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="training")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["module__order", "module__name"]
        constraints = [models.UniqueConstraint(fields=["mentor", "module"], name="training_completed_once")]

    def __str__(self) -> str:
        return f"{self.module} ({self.completed_on:%d %b %Y})"


class MentorReference(models.Model):
    class Outcome(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SATISFACTORY = "satisfactory", "Satisfactory"
        CONCERNS = "concerns", "Raised concerns"

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="references")
    referee = EncryptedTextField(help_text="Who gave the reference.")
    relationship = models.CharField(max_length=100, blank=True, help_text="e.g. employer, support worker")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.REQUESTED)
    received_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reference {self.pk}"


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
__all__ += ["RELATIONSHIP_DEFAULT_EFFECT"]


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


class MatchingSettings(models.Model):
    """Per-hub weights of the matcher: points each reason is worth. Defaults suit most hubs."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="matching_settings")
    lived_experience_priority = models.PositiveSmallIntegerField(
        default=30, help_text="Per need area among her top priorities the mentor has lived experience of."
    )
    lived_experience_wanted = models.PositiveSmallIntegerField(
        default=20, help_text="Per area where she asked for a mentor who has been through it."
    )
    language = models.PositiveSmallIntegerField(default=10, help_text="They share a language.")
    meeting_mode = models.PositiveSmallIntegerField(default=10, help_text="A way of meeting suits them both.")
    availability = models.PositiveSmallIntegerField(default=15, help_text="Full points at three shared times a week.")
    area = models.PositiveSmallIntegerField(default=10, help_text="The mentor can get to where she can.")
    capacity = models.PositiveSmallIntegerField(default=5, help_text="The mentor has room: spreads the load.")
    interests = models.PositiveSmallIntegerField(default=5, help_text="Per shared interest, at most two.")
    priority_needs = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)], help_text="How many of her needs count."
    )

    WEIGHT_FIELDS = (
        "lived_experience_priority",
        "lived_experience_wanted",
        "language",
        "meeting_mode",
        "availability",
        "area",
        "capacity",
        "interests",
    )

    def __str__(self) -> str:
        return f"Matching settings for {self.hub}"


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
    # Why the matcher suggested them, as shown then: [[label, points], ...]. Need-area names only.
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    # Each woman agrees to the pairing: when and how it was recorded.
    mentee_consent_on = models.DateField(null=True, blank=True)
    mentee_consent_method = models.CharField(max_length=16, blank=True)
    mentee_consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mentor_consent_on = models.DateField(null=True, blank=True)
    mentor_consent_method = models.CharField(max_length=16, blank=True)
    mentor_consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    her_feedback = EncryptedTextField(help_text="What she said about her mentoring, in her words.")
    wants_new_mentor = models.BooleanField(null=True, blank=True)
    not_taken_reason = models.CharField(max_length=200, blank=True)

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
                condition=models.Q(
                    status__in=["proposed", "awaiting_consent", "active", "paused"],
                ),
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
__all__ += ["FIRST_REVIEW_AFTER"]


class PairStatusChange(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=PairStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PairStatus.choices)
    changed_on = models.DateField(default=timezone.localdate)
    reason = models.CharField(max_length=200, blank=True)
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

    def get_contact_channels_display_list(self) -> list[str]:
        labels = dict(ContactChannel.choices)
        return [str(labels.get(channel, channel)) for channel in self.contact_channels]
