"""A woman in mentor recruitment before she has an account: her enquiry, application and references.

Recruitment starts with an enquiry (a phone call, a form at an event) long before anyone gives
her the mentor role, and a `Mentor` record needs an account. Rather than make the account on
`Mentor` optional (the matcher, the pair rights, the mentor list and every `mentor.user` would then
have to allow for a mentor nobody can sign in as), her recruitment is its own record, holding only
what there is before an account: her name and how to reach her, how the enquiry came, a note, and
where she has got to.

There is still one source of truth for her stage and her references. Her stage changes
(`MentorStageChange`) and references (`MentorReference`) are the mentors' own rows, hung on this
record while there is no `Mentor`; when she accepts her invitation they move to her new `Mentor`
record, which starts at the stage recruitment reached. Nothing is copied or retyped, and this
record then only says she joined and points to it.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField, EncryptedTextField
from mentoring.models.mentors import Mentor, MentorStage
from mentoring.models.people import Hub, User

# The stages she can reach before she has an account: a DBS check and training need her own
# record (her certificate, her modules), so she is invited by then.
RECRUITMENT_STAGES = (MentorStage.ENQUIRY, MentorStage.APPLICATION, MentorStage.REFERENCES)


class EnquirySource(models.TextChoices):
    PHONE = "phone", "Phone call"
    EVENT = "event", "At an event"
    WEB_FORM = "web_form", "Web form"
    REFERRAL = "referral", "Referred by another organisation"
    OTHER = "other", "Other"


class ApplicantContact(models.TextChoices):
    PHONE = "phone", "Phone calls"
    TEXT = "text", "Text messages"
    EMAIL = "email", "Email"


class RecruitmentStatus(models.TextChoices):
    OPEN = "open", "In recruitment"
    WITHDRAWN = "withdrawn", "She withdrew"
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"
    JOINED = "joined", "Joined as a mentor"


CLOSED_RECRUITMENT = (RecruitmentStatus.WITHDRAWN, RecruitmentStatus.NOT_TAKEN_FORWARD)


class MentorApplicant(models.Model):
    """Someone in mentor recruitment who has no account yet. See the module's docstring."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="mentor_applicants")
    name = EncryptedCharField(max_length=150, blank=False)
    phone = EncryptedCharField(max_length=40)
    email = EncryptedCharField(max_length=254, help_text="Her invitation goes here when she is ready.")
    safe_ways = ArrayField(
        models.CharField(max_length=16, choices=ApplicantContact.choices),
        default=list,
        blank=True,
        help_text="The ways she said are safe to contact her.",
    )
    source = models.CharField(max_length=16, choices=EnquirySource.choices, default=EnquirySource.PHONE)
    source_detail = EncryptedCharField(max_length=200, help_text="Which event or organisation, if it helps.")
    enquired_on = models.DateField(default=timezone.localdate)
    note = EncryptedTextField()
    stage = models.CharField(max_length=16, choices=MentorStage.choices, default=MentorStage.ENQUIRY)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    application_received_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RecruitmentStatus.choices, default=RecruitmentStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = EncryptedTextField()
    # Her record once she accepted her invitation: her stage changes and references are on it now.
    mentor = models.OneToOneField(Mentor, on_delete=models.SET_NULL, null=True, blank=True, related_name="recruitment")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        # The name is encrypted, so lists are in the order enquiries came.
        ordering = ["-enquired_on", "-pk"]
        indexes = [models.Index(fields=["hub", "status", "enquired_on"], name="applicant_hub_status_idx")]

    def __str__(self) -> str:
        return f"Applicant {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RecruitmentStatus.OPEN

    def get_safe_ways_display_list(self) -> list[str]:
        labels = dict(ApplicantContact.choices)
        return [labels.get(way, way) for way in self.safe_ways]
