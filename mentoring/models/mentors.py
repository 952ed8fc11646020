"""Mentors: their record, stages, training, DBS checks and references.

Peer mentors are volunteers with lived experience. The research found that shared experience
is what makes peer mentoring work, that pre-existing friendships blur the role, and that
boundaries work best as agreements rather than rules: hence lived-experience areas (used only
with her consent), recorded relationships the matcher honours, and a pair agreement per pair.
"""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField, EncryptedTextField
from mentoring.models.intake import AVAILABILITY_SLOTS, MeetingMode, NeedArea
from mentoring.models.people import Hub, Organisation, User


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
    # is told of it only if the mentor agrees: shared experience is the strength of peer mentoring.
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


class MentorStageChange(models.Model):
    # Before she has an account her recruitment holds her history; on joining it moves to her record.
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, null=True, blank=True, related_name="stage_changes")
    applicant = models.ForeignKey(
        "mentoring.MentorApplicant", on_delete=models.CASCADE, null=True, blank=True, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=16, choices=MentorStage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=MentorStage.choices)
    changed_on = models.DateField(default=timezone.localdate)
    note = EncryptedCharField(max_length=300)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mentor__isnull=False) | models.Q(applicant__isnull=False),
                name="mentor_stage_change_has_owner",
            )
        ]

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

    # As with stage changes: recruitment's references move to her record when she joins.
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, null=True, blank=True, related_name="references")
    applicant = models.ForeignKey(
        "mentoring.MentorApplicant", on_delete=models.CASCADE, null=True, blank=True, related_name="references"
    )
    referee = EncryptedTextField(help_text="Who gave the reference.")
    relationship = EncryptedCharField(max_length=100, help_text="e.g. employer, support worker")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.REQUESTED)
    received_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mentor__isnull=False) | models.Q(applicant__isnull=False),
                name="mentor_reference_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"Reference {self.pk}"
