"""Funding's own settings. An organisation's small-number threshold lives here, not in mentoring,
which knows nothing of funding."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models

from funding.suppression import MIN_THRESHOLD
from mentoring.models import Organisation


class SuppressionThreshold(models.Model):
    """Counts below an organisation's threshold are suppressed on every figure that leaves the
    platform (`funding.suppression`). Without a row the threshold is 5; it is never below 5, which
    the database refuses too. A page or export covering hubs of several organisations uses the
    highest of their thresholds."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="suppression_threshold")
    threshold = models.PositiveSmallIntegerField(
        default=MIN_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD)],
        help_text=f"Counts from 1 to one less than this are suppressed. At least {MIN_THRESHOLD}.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=MIN_THRESHOLD), name="suppression_threshold_at_least_minimum"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.threshold}"
