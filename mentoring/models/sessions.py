"""Mentoring sessions: what a mentor logs after meeting her mentee, every version of it kept."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from mentoring.models.pairs import Pair
from mentoring.models.people import Hub, User


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    MESSAGES = "messages", "Messages"
    ACCOMPANIED = "accompanied", "Went with her to an appointment"


# Modes that happen somewhere: the place type is asked only for these.
MODES_IN_A_PLACE = (SessionMode.IN_PERSON, SessionMode.ACCOMPANIED)


class PlaceType(models.TextChoices):
    """The kind of place, never where it is: a log that names a café or a hostel could lead
    someone to her."""

    CAFE = "cafe", "Café or public place"
    COMMUNITY = "community", "Community centre or our hub"
    HOSTEL = "hostel", "Hostel, refuge or supported housing"
    OUTDOORS = "outdoors", "Outdoors, walking"
    SERVICES = "services", "Court, health, housing or another service"
    OTHER = "other", "Somewhere else"


class Activity(models.TextChoices):
    LISTENING = "listening", "Listening and emotional support"
    PRACTICAL = "practical", "Practical help"
    ADVOCACY = "advocacy", "Advocacy"
    ACCOMPANYING = "accompanying", "Accompanying"
    SIGNPOSTING = "signposting", "Signposting or referral"
    GOALS = "goals", "Working on her goals"
    SOCIAL = "social", "Social or community activity"


class MentorWellbeing(models.TextChoices):
    """How the session left the mentor: peer mentors carry what they hear, and say so here."""

    FINE = "fine", "I'm fine"
    CHAT = "chat", "I'd like a chat"
    TALK_TODAY = "talk_today", "I need to talk today"


# A mentor corrects her own log for a week after she first saved it; after that it is a record.
EDITABLE_FOR = timedelta(days=7)
LONGEST_SESSION_MINUTES = 12 * 60

# The fields a log holds, in the order the form asks them: each save of these is a version.
SESSION_FIELDS = (
    "held_on",
    "duration_minutes",
    "mode",
    "place_type",
    "need_areas",
    "activities",
    "notes",
    "next_steps",
    "wellbeing",
    "travel_miles",
    "travel_fare",
    "travel_minutes",
    "expenses_amount",
    "expenses_what",
)


class MentoringSession(models.Model):
    """One meeting (or call, or messages) of a pair, as her mentor logged it."""

    # Made on the phone before the log is first sent: the same log sent again (a lost answer, a
    # queue replayed) is known by it and stored once.
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="sessions")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_SESSION_MINUTES)]
    )
    mode = models.CharField(max_length=16, choices=SessionMode.choices)
    place_type = models.CharField(max_length=16, choices=PlaceType.choices, blank=True)
    # Ids of her organisation's need areas worked on; checked against them when saved.
    need_areas = ArrayField(models.PositiveIntegerField(), default=list, blank=True)
    activities = ArrayField(models.CharField(max_length=16, choices=Activity.choices), default=list, blank=True)
    notes = EncryptedTextField()
    next_steps = EncryptedTextField()
    wellbeing = models.CharField(max_length=16, choices=MentorWellbeing.choices, default=MentorWellbeing.FINE)
    travel_miles = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    travel_fare = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    travel_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(LONGEST_SESSION_MINUTES)]
    )
    expenses_amount = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    expenses_what = EncryptedCharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When her supervisors were told she needs to talk today (the notification carries no content).
    talk_requested_at = models.DateTimeField(null=True, blank=True)
    talk_answered_at = models.DateTimeField(null=True, blank=True)
    talk_answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            # A pair's timeline, newest first, and its last contact; its totals (who may read
            # them, and the minutes) from the index alone, not from a page of the table per log.
            models.Index(
                fields=["pair", "-held_on", "-id"],
                include=["hub", "logged_by", "duration_minutes", "travel_minutes"],
                name="session_pair_timeline",
            ),
            # A mentor's own logs and her hours.
            models.Index(fields=["logged_by", "-held_on"], name="session_by_mentor"),
            # The last log she made, whose length and kind the log form starts from: one entry,
            # not every log of hers over the years.
            models.Index(fields=["logged_by", "-created_at"], name="session_by_mentor_latest"),
            # Mentors who asked to talk today and haven't been answered, per hub.
            models.Index(
                fields=["hub", "talk_requested_at"],
                name="session_talk_waiting",
                condition=models.Q(talk_requested_at__isnull=False, talk_answered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} (v{self.version})"

    @property
    def editable_until(self):
        return self.created_at + EDITABLE_FOR

    @property
    def activity_labels(self) -> list[str]:
        labels = dict(Activity.choices)
        return [str(labels.get(activity, activity)) for activity in self.activities]

    @property
    def minutes_with_travel(self) -> int:
        return self.duration_minutes + (self.travel_minutes or 0)

    def snapshot(self) -> dict[str, object]:
        """This version's fields as plain values, as kept in its history."""
        values: dict[str, object] = {}
        for name in SESSION_FIELDS:
            value = getattr(self, name)
            values[name] = (
                value.isoformat()
                if hasattr(value, "isoformat")
                else (str(value) if isinstance(value, Decimal) else value)
            )
        return values


class MentoringSessionVersion(models.Model):
    """Every saved version of a log, the first included: a correction never hides what was said."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    # All the log's fields as they were saved: her notes among them, so the whole is encrypted.
    fields = EncryptedJSONField(default=dict)
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["session", "version"], name="session_version_once")]

    def __str__(self) -> str:
        return f"Session {self.session_id} v{self.version}"
