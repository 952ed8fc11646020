"""Volunteers' claims for travel and expenses, and the mileage rates they are paid at.

A volunteer must never be out of pocket for mentoring: each session log with travel or other
expenses makes a claim, her hub's coordinators approve and pay it, and finance exports what was
approved. The amount is worked out once, when the claim is approved, and kept: a rate changed
later never changes what she was promised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from mentoring.fields import EncryptedCharField
from mentoring.models.mentors import Mentor
from mentoring.models.people import Hub, Organisation, User
from mentoring.models.sessions import MentoringSession

# HMRC's approved mileage allowance payments, which volunteers may be paid tax-free: 45p a mile
# for the first 10,000 business miles in a tax year, 25p a mile after. An organisation that has
# set no rate of its own pays these.
HMRC_FIRST_PENCE = Decimal("45")
HMRC_AFTER_PENCE = Decimal("25")
THRESHOLD_MILES = Decimal("10000")
PENNY = Decimal("0.01")


def tax_year_start(day: date) -> date:
    """The first day of the UK tax year that `day` is in: the tax year runs 6 April to 5 April."""
    year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return date(year, 4, 6)


def tax_year_end(day: date) -> date:
    return date(tax_year_start(day).year + 1, 4, 5)


def pounds(pence: Decimal) -> Decimal:
    """Pence (maybe with a fraction: 12.3 miles at 45p) as pounds to the penny, a half penny up:
    the rounding never leaves her short."""
    return (pence / 100).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MileageSplit:
    """Her miles on one claim, either side of the 10,000-mile threshold, and what they come to."""

    at_first_rate: Decimal
    at_after_rate: Decimal
    first_pence: Decimal
    after_pence: Decimal

    @property
    def amount(self) -> Decimal:
        return pounds(self.at_first_rate * self.first_pence + self.at_after_rate * self.after_pence)


def split_mileage(
    miles: Decimal, *, approved_before: Decimal, first_pence: Decimal, after_pence: Decimal
) -> MileageSplit:
    """The claim's miles at the first rate until her tax year's miles reach the threshold, the
    rest at the rate after it. `approved_before`: her miles already approved in the same tax year."""
    left = max(THRESHOLD_MILES - approved_before, Decimal("0"))
    at_first = min(miles, left)
    return MileageSplit(
        at_first_rate=at_first, at_after_rate=miles - at_first, first_pence=first_pence, after_pence=after_pence
    )


class MileageRateQuerySet(models.QuerySet["MileageRate"]):
    def in_force(self, organisation_id: int, day: date) -> tuple[Decimal, Decimal]:
        """(first, after) pence a mile her organisation pays for a journey on `day`: its rate with
        the latest start on or before that day, or HMRC's if it has none."""
        found = (
            self.filter(organisation_id=organisation_id, effective_from__lte=day)
            .order_by("-effective_from")
            .values_list("first_pence", "after_pence")
            .first()
        )
        return found if found else (HMRC_FIRST_PENCE, HMRC_AFTER_PENCE)


class MileageRate(models.Model):
    """What an organisation pays a mile, from a date: below the threshold and above it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mileage_rates")
    effective_from = models.DateField()
    first_pence = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Pence a mile for the first 10,000 business miles in a tax year.",
    )
    after_pence = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Pence a mile after the first 10,000 in a tax year.",
    )
    set_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MileageRateQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "effective_from"], name="mileage_rate_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.first_pence}p / {self.after_pence}p from {self.effective_from:%d %b %Y}"


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    # The log no longer claims anything (she took the travel off): kept, with its history.
    WITHDRAWN = "withdrawn", "Withdrawn"


CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimState.SUBMITTED: frozenset({ClaimState.APPROVED, ClaimState.QUERIED, ClaimState.WITHDRAWN}),
    ClaimState.QUERIED: frozenset({ClaimState.SUBMITTED, ClaimState.WITHDRAWN}),
    ClaimState.APPROVED: frozenset({ClaimState.PAID}),
    ClaimState.PAID: frozenset(),
    ClaimState.WITHDRAWN: frozenset({ClaimState.SUBMITTED}),
}
# Once approved the amount is promised: her log's travel and expenses can't change under it.
DECIDED_STATES = (ClaimState.APPROVED, ClaimState.PAID)
OPEN_CLAIM_STATES = (ClaimState.SUBMITTED, ClaimState.QUERIED)


class ExpenseClaim(models.Model):
    """One session log's travel and expenses, as she claimed them and as they were approved."""

    session = models.OneToOneField(MentoringSession, on_delete=models.PROTECT, related_name="claim")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="claims")
    # Her hub when the claim was made: its coordinators approve and pay it.
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=ClaimState.choices, default=ClaimState.SUBMITTED)
    # Copied from the log each time it is (re)submitted, so what was approved stays as approved.
    held_on = models.DateField()
    miles = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))
    fares = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    other_amount = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0"))
    # Fixed when approved.
    miles_at_first_rate = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    miles_at_after_rate = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    first_rate_pence = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    after_rate_pence = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    mileage_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    paid_on = models.DateField(null=True, blank=True)
    paid_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            # The coordinators' queue: a hub's claims in one state, oldest session first.
            models.Index(fields=["hub", "state", "held_on"], name="claim_queue"),
            # Her own claims, and her miles approved in a tax year.
            models.Index(fields=["mentor", "held_on"], name="claim_by_mentor"),
            # Finance's export: what a hub approved between two dates.
            models.Index(fields=["hub", "approved_at"], name="claim_approved"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state__in=DECIDED_STATES)
                | models.Q(total__isnull=False, mileage_amount__isnull=False, approved_at__isnull=False),
                name="claim_amount_fixed_when_approved",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ClaimState.PAID) | models.Q(paid_on__isnull=False),
                name="claim_paid_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk} ({self.get_state_display()})"

    @property
    def claimed_other(self) -> Decimal:
        """What she spent, without mileage (fares and other expenses)."""
        return self.fares + self.other_amount


class ExpenseClaimEvent(models.Model):
    """Each step of a claim, dated, with who took it: a query's reason and her answer are kept."""

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, choices=ClaimState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=ClaimState.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # A coordinator's question or her answer: either may mention the woman, so it is encrypted.
    note = EncryptedCharField(max_length=500)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} → {self.to_state}"
