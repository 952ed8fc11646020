"""Intake: referral, consent, need areas, the holistic needs assessment in her own words, and goals."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField, EncryptedTextField
from mentoring.models.mentees import ContactChannel, Mentee
from mentoring.models.people import Hub, Organisation, User


class ReferralSource(models.TextChoices):
    SELF = "self", "Self-referral"
    PROBATION = "probation", "Probation"
    SOCIAL_SERVICES = "social_services", "Social services"
    POLICE = "police", "Police"
    HEALTH = "health", "GP or health"
    HOUSING = "housing", "Housing"
    WOMENS_SERVICE = "womens_service", "Another women's service"
    OTHER = "other", "Other"


class Referral(models.Model):
    """How she came to us. A re-referral adds another; her history stays."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="referrals")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=32, choices=ReferralSource.choices, default=ReferralSource.SELF)
    referrer_organisation = EncryptedCharField(max_length=200)
    referrer_contact = EncryptedTextField()
    referred_on = models.DateField(default=timezone.localdate)
    # The referrer's words, kept apart from hers: a professional's framing is not her account.
    referrer_reason = EncryptedTextField()
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.get_source_display()})"


class ConsentKind(models.TextChoices):
    DATA_PROCESSING = "data_processing", "Keeping and using her information"
    SHARE_WITH_MENTOR = "share_with_mentor", "Sharing the needs she picks with her mentor"
    CONTACT_PHONE = "contact_phone", "Contact by phone"
    CONTACT_TEXT = "contact_text", "Contact by text message"
    CONTACT_EMAIL = "contact_email", "Contact by email"
    CONTACT_LETTER = "contact_letter", "Contact by letter"
    QUOTE_ANONYMOUSLY = "quote_anonymously", "Being quoted anonymously in funding reports"


# The ways of contacting her that need her consent, and the consent that allows each.
CONSENT_FOR_CHANNEL: dict[str, str] = {
    ContactChannel.PHONE: ConsentKind.CONTACT_PHONE,
    ContactChannel.TEXT: ConsentKind.CONTACT_TEXT,
    ContactChannel.EMAIL: ConsentKind.CONTACT_EMAIL,
    ContactChannel.LETTER: ConsentKind.CONTACT_LETTER,
}


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally"
    WRITTEN = "written", "In writing"
    ONLINE = "online", "Online"


class Consent(models.Model):
    """One decision she made, given or withdrawn. The latest per kind is in force; all are kept."""

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=32, choices=ConsentKind.choices)
    given = models.BooleanField()
    decided_on = models.DateField(default=timezone.localdate)
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    what_she_was_told = EncryptedTextField()
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["mentee", "kind", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'given' if self.given else 'withdrawn'}"


class NeedArea(models.Model):
    """Reference data: the areas of her life an assessment covers. An org admin can add more."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="need_areas",
        help_text="Empty for the standard areas every organisation has.",
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="need_area_unique_slug", nulls_distinct=False)
        ]

    def __str__(self) -> str:
        return self.name


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    WALK = "walk", "Out and about (walks, cafés)"


DAYS = (("mon", "Mon"), ("tue", "Tue"), ("wed", "Wed"), ("thu", "Thu"), ("fri", "Fri"), ("sat", "Sat"), ("sun", "Sun"))
PARTS_OF_DAY = (("am", "morning"), ("pm", "afternoon"), ("eve", "evening"))
# A week in 21 slots: what she and a mentor can each manage, compared slot by slot when matching.
AVAILABILITY_SLOTS: list[tuple[str, str]] = [
    (f"{day}_{part}", f"{day_label} {part_label}") for day, day_label in DAYS for part, part_label in PARTS_OF_DAY
]


class Assessment(models.Model):
    """A holistic needs assessment in her words. Intake and reviews share one form."""

    class Kind(models.TextChoices):
        INTAKE = "intake", "Intake"
        REVIEW = "review", "Review"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INTAKE)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    assessed_on = models.DateField(default=timezone.localdate)
    strengths = EncryptedTextField(help_text="Her strengths, in her words.")
    interests = EncryptedTextField()
    # What she wants from a mentor.
    shared_experience_wanted = models.ManyToManyField(NeedArea, blank=True, related_name="+")
    mentor_language = EncryptedCharField(max_length=100)
    meeting_modes = ArrayField(models.CharField(max_length=16, choices=MeetingMode.choices), default=list, blank=True)
    availability = ArrayField(models.CharField(max_length=8, choices=AVAILABILITY_SLOTS), default=list, blank=True)
    days_and_times = EncryptedCharField(max_length=200)
    reachable_area = EncryptedCharField(max_length=200)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Her choice not to talk about her needs yet, dated and recorded by her coordinator: the only
    # way an assessment with none of her needs in her words can be completed.
    needs_not_said_on = models.DateField(null=True, blank=True)
    needs_not_said_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["mentee", "state", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on:%d %b %Y}"

    def need_count_now(self) -> int:
        """How many need areas she says affect her now: her record keeps this from her latest
        completed assessment, so lists filter and count without joins."""
        return self.needs.filter(affects_now=AffectsNow.YES).count()

    def completion_problem(self) -> str | None:
        """Why this assessment can't be completed yet, in words a coordinator can act on; None
        if it can. Completing puts her on the waiting list and in front of the matcher, so it
        needs at least one need in her words, or her stated wish not to say yet."""
        in_her_words = [need for need in self.needs.select_related("need_area") if need.her_words.strip()]
        if self.needs_not_said_on and in_her_words:
            names = ", ".join(str(need.need_area) for need in in_her_words)
            return f"“{NEEDS_NOT_SAID_LABEL}” is ticked, but {names} has her words: untick it, or clear her words."
        if not in_her_words and not self.needs_not_said_on:
            return (
                "No need area has her words yet. Write at least one need in her words, "
                f"or tick “{NEEDS_NOT_SAID_LABEL}”."
            )
        return None


NEEDS_NOT_SAID_LABEL = "She'd rather not talk about her needs yet"


class AffectsNow(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SAID = "not_said", "Prefers not to say"


class NeedRating(models.Model):
    """One need area in one assessment: whether it affects her now, in her words, her rating."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    need_area = models.ForeignKey(NeedArea, on_delete=models.PROTECT, related_name="+")
    affects_now = models.CharField(max_length=16, choices=AffectsNow.choices, blank=True)
    her_words = EncryptedTextField()
    priority = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Her order of importance: 1 matters most to her.",
    )
    self_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Her own rating of how things are: 0 very hard, 10 going well.",
    )
    other_services = EncryptedCharField(max_length=300)
    share_with_mentor = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "need_area"], name="need_rating_once_per_area"),
            models.CheckConstraint(
                condition=models.Q(self_rating__isnull=True) | models.Q(self_rating__lte=10),
                name="need_rating_self_rating_0_10",
            ),
        ]
        indexes = [
            models.Index(fields=["need_area", "affects_now"]),
            # Covers the need-area filter's side of the join: read from the index alone.
            models.Index(fields=["need_area", "affects_now"], include=["assessment"], name="needrating_area_now_idx"),
        ]

    def __str__(self) -> str:
        return f"Need rating {self.pk}"


class Goal(models.Model):
    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        CHANGED = "changed", "She changed this goal"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="goals")
    her_words = EncryptedTextField(help_text="The goal, in her words.")
    need_area = models.ForeignKey(NeedArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    share_with_mentor = models.BooleanField(default=False)
    set_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["set_on", "pk"]

    def __str__(self) -> str:
        return f"Goal {self.pk}"


class GoalUpdate(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    note = EncryptedTextField()
    written_on = models.DateField(default=timezone.localdate)
    written_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["written_on", "pk"]

    def __str__(self) -> str:
        return f"Goal update {self.pk}"
