"""The people who use Alongside: users, organisations, hubs, memberships (a role in a hub), invitations,
and what a timed-out sign-in keeps of a half-sent form."""

from __future__ import annotations

import pghistory
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

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
        # The organisation page pages people in this order: a page reads its 25 index entries.
        indexes = [models.Index(fields=["display_name", "email", "id"], name="user_name_order_idx")]

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


# Who created, renamed or re-described a hub, and when, is kept: a hub's name is how staff know
# where a woman's record belongs.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Hub(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hubs")
    name = models.CharField(max_length=200)
    # Made from the name when the hub is created, and kept when it is renamed: a key, not a label.
    slug = models.SlugField(unique=True)
    area_description = models.CharField(max_length=200, blank=True)
    review_interval_weeks = models.PositiveSmallIntegerField(
        default=12, help_text="How often a mentee's needs assessment is reviewed."
    )
    # A pair with no session logged for this long is shown for a gentle check-in: never closed.
    quiet_after_weeks = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text="Weeks without a logged session before a pair is shown for a check-in.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # Two hubs of one organisation with one name (in any case) would be told apart by nobody.
            models.UniqueConstraint("organisation", Lower("name"), name="hub_name_unique_in_organisation"),
        ]

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
    # An invitation to someone in mentor recruitment: accepting it carries her recruitment on.
    applicant = models.ForeignKey(
        "mentoring.MentorApplicant", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_status_display()})"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


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


class FormToken(models.Model):
    """A one-time token for a form that creates something, so sending it twice (a double click, a
    reload, going back and saving again) makes one record, not two.

    The token is signed when the form is shown (nothing is written then) and holds her account's
    id, the page's path, the time and a random part, never anything about her. A row is kept only
    once the form is sent: the token's hash, the page's path (ids only) and, once saved, the path
    of what the form made, so a repeat is sent there.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    key = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    result_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"Form token {self.pk}"
