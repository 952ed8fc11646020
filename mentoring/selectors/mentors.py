"""Reads of mentors' records: the coordinator's list with its figures, open pairs and training."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.matching.eligibility import DBS_DUE_SOON_DAYS, with_readiness
from mentoring.models import (
    OPEN_PAIR_STATUSES,
    Mentor,
    MentorStage,
    Pair,
    TrainingCompletion,
    TrainingModule,
    User,
)
from mentoring.policies.mentors import mentors_visible_to


@dataclass
class MentorFilters:
    search: str = ""
    stage: str = ""
    hub: int | None = None
    has_free_place: bool = False
    dbs_due: bool = False


def with_list_figures(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """Open pairs, free places, DBS flag and readiness to match, computed in the database.

    A subquery counts her open pairs, so counting them and her training don't multiply rows.
    """
    open_pairs = (
        Pair.objects.filter(mentor_id=OuterRef("pk"), status__in=OPEN_PAIR_STATUSES)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return with_readiness(
        mentors.annotate(
            open_pairs=Coalesce(Subquery(open_pairs, output_field=IntegerField()), Value(0)),
            free_places=ExpressionWrapper(F("capacity") - F("open_pairs"), output_field=IntegerField()),
        )
    )


def dbs_renewal_due(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """Those whose DBS renewal is due soon or already past, among mentors still volunteering: a
    mentor who has left needs no renewal. The list's filter and the to-do home both ask this.
    A mentor with no check at all shows under "not ready" instead."""
    soon = timezone.localdate() + timedelta(days=DBS_DUE_SOON_DAYS)
    return mentors.filter(dbs_renewal_due__lte=soon).exclude(stage=MentorStage.LEFT)


def filtered_mentors(*, user: User, filters: MentorFilters) -> QuerySet[Mentor]:
    mentors = mentors_visible_to(user)
    if filters.search:
        mentors = mentors.filter(user__display_name__icontains=filters.search.strip())
    if filters.stage:
        mentors = mentors.filter(stage=filters.stage)
    if filters.hub:
        mentors = mentors.filter(hub_id=filters.hub)
    if filters.dbs_due:
        mentors = dbs_renewal_due(mentors)
    mentors = with_list_figures(mentors)
    if filters.has_free_place:
        mentors = mentors.filter(capacity__gt=F("open_pairs"))
    # Only what the list shows: her DBS certificate number is encrypted, and decrypting it for
    # every row would cost the list time for nothing.
    return (
        mentors.select_related("user", "hub")
        .only("stage", "capacity", "dbs_renewal_due", "hub__name", "user__display_name", "user__email")
        .order_by("user__display_name", "pk")
    )


def open_pairs_of(mentor: Mentor) -> QuerySet[Pair]:
    return mentor.pairs.filter(status__in=OPEN_PAIR_STATUSES).select_related("mentee").order_by("proposed_at", "pk")


def _curriculum_with_her_days(mentor: Mentor, which: Q) -> list[tuple[TrainingModule, date | None]]:
    """Her organisation's modules matching `which`, each with the day she completed it, or None:
    one query."""
    completed_on = TrainingCompletion.objects.filter(mentor=mentor, module=OuterRef("pk")).values("completed_on")[:1]
    modules = (
        TrainingModule.objects.filter(organisation_id=mentor.hub.organisation_id)
        .annotate(completed=Subquery(completed_on))
        .filter(which)
    )
    return [(module, module.completed) for module in modules]


def training_record_of(mentor: Mentor) -> list[tuple[TrainingModule, date | None]]:
    """Every module of her organisation's curriculum, with the day she completed it if she has.

    A completion of a module since switched off still shows: it is part of her record.
    """
    return _curriculum_with_her_days(mentor, Q(is_active=True) | Q(completed__isnull=False))


def current_training_of(mentor: Mentor) -> list[tuple[TrainingModule, date | None]]:
    """The curriculum as it stands (active modules only), with the day she completed each: her own
    view, on her phone home."""
    return _curriculum_with_her_days(mentor, Q(is_active=True))
