"""The base records: people and their roles per hub, invitations, mentees, and the access log."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mentoring.fields import EncryptedTextField


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Organisation admin"
    COORDINATOR = "coordinator", "Coordinator"
    MENTOR = "mentor", "Mentor"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    DECISION_MAKER = "decision_maker", "Decision maker"


# Everyone but volunteer mentors: MFA is required of these when REQUIRE_MFA is on.
STAFF_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.SAFEGUARDING_LEAD, Role.DECISION_MAKER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        # Superusers run the system (Django admin). No policy ever passes on is_superuser.
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    display_name = models.CharField(
        max_length=100, blank=True, help_text="How colleagues see this person in the platform."
    )
    is_active = models.BooleanField(default=True)  # type: ignore[misc]
    is_staff = models.BooleanField(default=False, help_text="Operations access to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self) -> str:
        return self.name


class Hub(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hubs")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    area_description = models.CharField(max_length=200, blank=True)
    review_interval_weeks = models.PositiveSmallIntegerField(
        default=12, help_text="How often a mentee's needs assessment is reviewed."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """One role one person holds in one hub. A person may hold several, in several hubs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "hub", "role"], name="membership_unique_role")]
        indexes = [models.Index(fields=["hub", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.hub}"


class Invitation(models.Model):
    """An emailed, one-time, expiring link to join a hub in one role.

    Only a hash of the token is stored, so a copy of the database can't be used to join.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField()
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=32, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_status_display()})"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class MenteeStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSING = "assessing", "Assessing"
    WAITING = "waiting", "Waiting for a mentor"
    MATCHED = "matched", "Matched"
    ENDED = "ended", "Ended"
    WITHDRAWN = "withdrawn", "Withdrew"
    DECLINED = "declined", "Declined"


# Where she can go next. "matched" and "ended" are set by the pairing, not by hand.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MenteeStatus.REFERRED: (MenteeStatus.ASSESSING, MenteeStatus.WITHDRAWN, MenteeStatus.DECLINED),
    MenteeStatus.ASSESSING: (MenteeStatus.WAITING, MenteeStatus.WITHDRAWN, MenteeStatus.DECLINED),
    MenteeStatus.WAITING: (MenteeStatus.ASSESSING, MenteeStatus.WITHDRAWN),
    MenteeStatus.MATCHED: (MenteeStatus.ENDED, MenteeStatus.WITHDRAWN),
    MenteeStatus.ENDED: (),
    MenteeStatus.WITHDRAWN: (),
    MenteeStatus.DECLINED: (),
}
OPEN_STATUSES = (MenteeStatus.REFERRED, MenteeStatus.ASSESSING, MenteeStatus.WAITING, MenteeStatus.MATCHED)


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    AGE_18_24 = "18_24", "18–24"
    AGE_25_34 = "25_34", "25–34"
    AGE_35_44 = "35_44", "35–44"
    AGE_45_54 = "45_54", "45–54"
    AGE_55_64 = "55_64", "55–64"
    AGE_65_PLUS = "65_plus", "65 or over"
    NOT_SAID = "not_said", "Prefers not to say"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    VIA_SERVICE = "via_service", "Through another service"
    IN_PERSON = "in_person", "In person at the centre"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    # Event rows copy tracked fields in plain columns: only non-sensitive fields are tracked.
    fields=["hub", "chosen_name", "status", "status_changed_at", "review_due_on", "need_count"],
    model_name="MenteeEvent",
    obj_field=pghistory.ObjForeignKey(related_name="events"),
)
class Mentee(models.Model):
    """A woman supported by the programme. She is called by her chosen name everywhere."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="mentees")
    chosen_name = models.CharField(max_length=100, help_text="The name she wants to be called.")
    legal_name = EncryptedTextField(help_text="Optional. Shown only on an explicit, logged request.")
    date_of_birth = models.DateField(null=True, blank=True)
    age_band = models.CharField(max_length=16, choices=AgeBand.choices, blank=True)
    contact_details = EncryptedTextField(help_text="Phone, email or address, as she gave them.")
    # Safe-contact preferences: shown to whoever contacts her (trauma-responsive contact).
    safe_channels = ArrayField(
        models.CharField(max_length=16, choices=ContactChannel.choices), default=list, blank=True
    )
    safe_times = EncryptedTextField(help_text="When it is safe to contact her.")
    voicemail_safe = models.BooleanField(null=True, blank=True)
    letters_safe = models.BooleanField(null=True, blank=True)
    code_word = EncryptedTextField(help_text="A word to confirm it's really us, or to signal she can't talk.")
    languages = models.CharField(max_length=200, blank=True, default="English")
    interpreter_needed = models.BooleanField(default=False)
    access_needs = EncryptedTextField()
    children = EncryptedTextField(help_text="Optional: only what she chooses to share.")
    status = models.CharField(max_length=16, choices=MenteeStatus.choices, default=MenteeStatus.REFERRED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Kept up to date by the assessment services, so lists filter without joins.
    need_count = models.PositiveSmallIntegerField(default=0)
    review_due_on = models.DateField(null=True, blank=True)
    latest_assessment = models.ForeignKey(
        "Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["chosen_name", "pk"]
        # Object-level rights only (guardian): nobody is ever given a model-wide view right.
        default_permissions = ("view", "change")
        indexes = [
            models.Index(fields=["hub", "status", "status_changed_at"]),
            models.Index(fields=["hub", "chosen_name"]),
            models.Index(fields=["hub", "review_due_on"]),
        ]

    def __str__(self) -> str:
        return self.chosen_name

    def get_safe_channels_display_list(self) -> list[str]:
        labels = dict(ContactChannel.choices)
        return [str(labels.get(channel, channel)) for channel in self.safe_channels]


class MenteeStatusChange(models.Model):
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=MenteeStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MenteeStatus.choices)
    changed_on = models.DateField(default=timezone.localdate)
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


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
    referrer_organisation = models.CharField(max_length=200, blank=True)
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
    what_she_was_told = models.TextField(blank=True)
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
    mentor_language = models.CharField(max_length=100, blank=True)
    meeting_modes = ArrayField(models.CharField(max_length=16, choices=MeetingMode.choices), default=list, blank=True)
    availability = ArrayField(models.CharField(max_length=8, choices=AVAILABILITY_SLOTS), default=list, blank=True)
    days_and_times = models.CharField(max_length=200, blank=True)
    reachable_area = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["mentee", "state", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on:%d %b %Y}"


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
    other_services = models.CharField(max_length=300, blank=True)
    share_with_mentor = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "need_area"], name="need_rating_once_per_area"),
            models.CheckConstraint(
                condition=models.Q(self_rating__isnull=True) | models.Q(self_rating__lte=10),
                name="need_rating_self_rating_0_10",
            ),
        ]
        indexes = [models.Index(fields=["need_area", "affects_now"])]

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


class StashedSubmission(models.Model):
    """What she typed when her session timed out, kept (encrypted) until she signs in again.

    Nothing typed is lost on an expired session: the form is shown again, filled in.
    Stashes older than a day are deleted by the periodic job.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    data = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Stash {self.pk}"


class MenteeUserObjectPermission(UserObjectPermissionBase):
    """guardian's direct foreign-key table for mentees: fast joins on a big table."""

    content_object = models.ForeignKey(Mentee, on_delete=models.CASCADE)


class MenteeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Mentee, on_delete=models.CASCADE)


class AccessLog(models.Model):
    """Append-only record of every view, export or grant of a sensitive record.

    It says who, what (type and id, never content), when and why. The database
    itself refuses UPDATE and DELETE (trigger), so not even a bug or a superuser
    in a shell can rewrite it.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        REVEAL = "reveal", "Revealed a protected field"
        EXPORT = "export", "Exported"
        GRANT = "grant", "Granted access"
        REVOKE = "revoke", "Revoked access"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["hub", "-at"]), models.Index(fields=["object_type", "object_id"])]
        triggers = [
            pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}"


from mentoring.models.mentors import *  # noqa: E402, F403  (mentors, training, matching and pairs)
