"""The women supported by the programme: her record, her status and its history, and the object-level
view rights that follow her pairs."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from mentoring.fields import EncryptedCharField, EncryptedTextField
from mentoring.models.people import Hub, User

if TYPE_CHECKING:
    from mentoring.models.intake import Consent


def name_key(name: str) -> str:
    """Her chosen name as the same-woman check compares it: without spaces, in any letter case.
    `NameKey` is the same rule in SQL."""
    return "".join(name.split()).lower()


class NameKey(Lower):
    """`name_key` in SQL, for the index the same-woman check reads."""

    def __init__(self, field: str) -> None:
        super().__init__(
            models.Func(
                models.F(field),
                models.Value(r"\s"),
                models.Value(""),
                models.Value("g"),
                function="regexp_replace",
                output_field=models.CharField(),
            )
        )


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
CLOSED_STATUSES = (MenteeStatus.ENDED, MenteeStatus.WITHDRAWN, MenteeStatus.DECLINED)


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
    languages = EncryptedCharField(max_length=200, default="English")
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
            # Reviews due: each reader asks for her hubs' women in an open status due by a date; with
            # the status in the index, those women are read alone, not picked out of all her hubs'
            # women (most of whom have ended) by a filter.
            models.Index(fields=["hub", "status", "review_due_on"], name="mentee_review_due_idx"),
            # The mentee list across all her hubs, in name order: the first pages read 25 entries.
            models.Index(fields=["chosen_name", "id"], name="mentee_name_order_idx"),
            # The need-area filter joins her latest assessment from the index alone.
            models.Index(fields=["hub", "latest_assessment"], name="mentee_hub_latest_idx"),
            # "Is this the same woman?" on every new referral: her name, as compared, across the
            # organisation's 20,000 women, without reading them all.
            models.Index(NameKey("chosen_name"), name="mentee_name_key_idx"),
        ]

    def __str__(self) -> str:
        return self.chosen_name

    def get_safe_channels_display_list(self) -> list[str]:
        return [channel_label(channel) for channel in self.safe_ways]

    @cached_property
    def safe_ways(self) -> list[str]:
        """How she may be contacted now: the ways ticked as safe that none of her other answers
        contradicts. The one answer her safe-contact banner, the pair agreement's choices and
        its check all use. Reads her consents through `consents.all()`, so a page showing many
        women prefetches them."""
        consents = latest_contact_consents(self, list(self.consents.all()))
        return [channel for channel in self.safe_channels if channel_problem(self, channel, consents) is None]

    def why_not_safe(self, channel: str) -> str:
        """Why a way of contacting her is not one of her safe ways, naming her record's answers."""
        consents = latest_contact_consents(self, list(self.consents.all()))
        problem = channel_problem(self, channel, consents)
        if channel in self.safe_channels and problem is not None:
            return problem[1]
        why = f"“{channel_label(channel)}” isn't ticked as a safe way on her record"
        if channel == ContactChannel.LETTER and self.letters_safe is False:
            why += f", and “{LETTERS_QUESTION}” is “No”"
        return why + "."


def channel_label(channel: str) -> str:
    return str(dict(ContactChannel.choices).get(channel, channel))


def _answer(value: bool | None) -> str:
    return "Not asked yet" if value is None else "Yes" if value else "No"


# Her record's questions, as the edit form asks them: a refusal names the answers that disagree.
SAFE_WAYS_QUESTION = "Which ways of contacting her are safe?"
VOICEMAIL_QUESTION = "Is it safe to leave a voicemail?"
LETTERS_QUESTION = "Is it safe to send letters?"


def latest_contact_consents(mentee: Mentee, consents: list[Consent]) -> dict[str, Consent]:
    """Her latest decision of each contact kind (the one in force), from her consent records."""
    from mentoring.models.intake import CONSENT_FOR_CHANNEL

    kinds = set(CONSENT_FOR_CHANNEL.values())
    latest: dict[str, Consent] = {}
    for consent in sorted(consents, key=lambda c: (c.recorded_at, c.pk or 0)):
        if consent.kind in kinds:
            latest[consent.kind] = consent
    return latest


def channel_problem(mentee: Mentee, channel: str, consents: dict[str, Consent]) -> tuple[str, str] | None:
    """Why this way of contacting her is not safe to use: (the edit form's field, a message naming
    the answers that say so). None if nothing on her record stands against it (whether it is
    ticked is asked separately)."""
    from mentoring.models.intake import CONSENT_FOR_CHANNEL, ConsentKind

    label = channel_label(channel)
    if channel == ContactChannel.LETTER and mentee.letters_safe is not True:
        answer = _answer(mentee.letters_safe)
        return "letters_safe", f"“{label}” is ticked as a safe way, but “{LETTERS_QUESTION}” is “{answer}”."
    kind = CONSENT_FOR_CHANNEL.get(channel)
    if kind is not None:
        consent = consents.get(kind)
        kind_label = ConsentKind(kind).label
        if consent is None:
            return "safe_channels", (
                f"“{label}” is ticked as a safe way, but her consent to “{kind_label}” hasn't been asked yet "
                "(record it on her Consents tab)."
            )
        if not consent.given:
            return "safe_channels", (
                f"“{label}” is ticked as a safe way, but she withdrew her consent to “{kind_label}” "
                f"on {consent.decided_on:%-d %b %Y}."
            )
    return None


def safe_contact_disagreements(mentee: Mentee, consents: dict[str, Consent]) -> dict[str, list[str]]:
    """Every pair of her safe-contact answers (and contact consents) that contradict each other,
    by the form field the message belongs to. Empty when they agree."""
    problems: dict[str, list[str]] = {}
    for channel in mentee.safe_channels:
        problem = channel_problem(mentee, channel, consents)
        if problem is not None:
            field, message = problem
            problems.setdefault(field, []).append(message)
    if mentee.letters_safe and ContactChannel.LETTER not in mentee.safe_channels:
        problems.setdefault("letters_safe", []).append(
            f"“{LETTERS_QUESTION}” is “Yes”, but “{channel_label(ContactChannel.LETTER)}” isn't ticked as a safe way."
        )
    if mentee.voicemail_safe and ContactChannel.PHONE not in mentee.safe_channels:
        problems.setdefault("voicemail_safe", []).append(
            f"“{VOICEMAIL_QUESTION}” is “Yes”, but “{channel_label(ContactChannel.PHONE)}” isn't ticked as a safe way."
        )
    return problems


class MenteeStatusChange(models.Model):
    mentee = models.ForeignKey(Mentee, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=MenteeStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MenteeStatus.choices)
    changed_on = models.DateField(default=timezone.localdate)
    reason = EncryptedCharField(max_length=300)
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"


class MenteeUserObjectPermission(UserObjectPermissionBase):
    """guardian's direct foreign-key table for mentees: fast joins on a big table."""

    content_object = models.ForeignKey(Mentee, on_delete=models.CASCADE)


class MenteeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Mentee, on_delete=models.CASCADE)


# What her profile form edits and the profile service saves.
MENTEE_PROFILE_FIELDS = (
    "chosen_name",
    "legal_name",
    "date_of_birth",
    "age_band",
    "contact_details",
    "safe_channels",
    "safe_times",
    "voicemail_safe",
    "letters_safe",
    "code_word",
    "languages",
    "interpreter_needed",
    "access_needs",
    "children",
)


def contact_key(contact_details: str) -> str:
    """Contact details as the same-woman check compares them: without spaces, in any letter case."""
    return "".join(contact_details.split()).lower()


def possible_same_women(
    *, organisation_id: int, chosen_name: str, date_of_birth: date | None, contact_details: str
) -> list[Mentee]:
    """Women in the organisation who may be the woman being referred: the same chosen name (in any
    letter case, with or without spaces) and the same date of birth or the same contact details.

    Contact details are encrypted, so they are compared here, after reading, and only for the few
    women with the same name, found through the name index; nobody else's are decrypted.
    """
    key = name_key(chosen_name)
    wanted_contact = contact_key(contact_details)
    if not key or (date_of_birth is None and not wanted_contact):
        return []
    candidates = (
        Mentee.objects.annotate(name_key=NameKey("chosen_name"))
        .filter(name_key=key, hub__organisation_id=organisation_id)
        .select_related("hub")
        .only("chosen_name", "date_of_birth", "contact_details", "status", "hub__name", "hub__organisation_id")
        .order_by("pk")
    )
    return [
        mentee
        for mentee in candidates
        if (date_of_birth is not None and mentee.date_of_birth == date_of_birth)
        or (wanted_contact and contact_key(mentee.contact_details) == wanted_contact)
    ]
