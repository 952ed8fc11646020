"""Reads for the coordinator's mentor screens, scoped by policy, with the joins each page needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring import policies
from mentoring.models import (
    OPEN_PAIR_STATUSES,
    Mentor,
    MentorStage,
    Pair,
    RecordedRelationship,
    TrainingCompletion,
    TrainingModule,
    User,
)

# The list flags a DBS check due for renewal this soon, so there is time to apply for a new one.
DBS_DUE_SOON_DAYS = 60


@dataclass
class MentorFilters:
    search: str = ""
    stage: str = ""
    hub: int | None = None
    has_free_place: bool = False
    dbs_due: bool = False


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT per row: one query for the page however many rows it has."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_list_figures(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """Open pairs, free places and readiness to match, computed in the database.

    Subqueries rather than joins, so counting her pairs and her training don't multiply.
    Readiness follows matching_data.missing_for_matching: active, DBS valid, core training done.
    """
    today = timezone.localdate()
    core = TrainingModule.objects.filter(organisation_id=OuterRef("hub__organisation_id"), is_core=True, is_active=True)
    core_done = TrainingCompletion.objects.filter(
        mentor_id=OuterRef("pk"), module__is_core=True, module__is_active=True
    )
    return mentors.annotate(
        open_pairs=_count(Pair.objects.filter(mentor_id=OuterRef("pk"), status__in=OPEN_PAIR_STATUSES), "mentor_id"),
        free_places=ExpressionWrapper(F("capacity") - F("open_pairs"), output_field=IntegerField()),
        core_total=_count(core, "organisation_id"),
        core_done=_count(core_done, "mentor_id"),
        # Due on the day counts as overdue: dbs_valid_on wants the renewal date after today.
        dbs_flag=Case(
            When(dbs_renewal_due__lte=today, then=Value("overdue")),
            When(dbs_renewal_due__lte=today + timedelta(days=DBS_DUE_SOON_DAYS), then=Value("soon")),
            default=Value(""),
            output_field=CharField(),
        ),
        ready=Case(
            When(
                Q(stage=MentorStage.ACTIVE, dbs_issued_on__isnull=False, dbs_renewal_due__gt=today)
                & Q(core_done__gte=F("core_total")),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def filtered_mentors(*, user: User, filters: MentorFilters) -> QuerySet[Mentor]:
    mentors = policies.mentors_visible_to(user)
    if filters.search:
        mentors = mentors.filter(user__display_name__icontains=filters.search.strip())
    if filters.stage:
        mentors = mentors.filter(stage=filters.stage)
    if filters.hub:
        mentors = mentors.filter(hub_id=filters.hub)
    if filters.dbs_due:
        # Due soon or already past; a mentor with no check at all shows under "not ready" instead.
        mentors = mentors.filter(dbs_renewal_due__lte=timezone.localdate() + timedelta(days=DBS_DUE_SOON_DAYS))
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


def training_record_of(mentor: Mentor) -> list[tuple[TrainingModule, TrainingCompletion | None]]:
    """Every module of her organisation's curriculum, with her completion if any.

    A completion of a module since switched off still shows: it is part of her record.
    """
    completions = {c.module_id: c for c in mentor.training.select_related("module")}
    modules = list(
        TrainingModule.objects.filter(organisation_id=mentor.hub.organisation_id).filter(
            Q(is_active=True) | Q(pk__in=list(completions))
        )
    )
    return [(module, completions.get(module.pk)) for module in modules]


def relationships_of_mentor(mentor: Mentor) -> QuerySet[RecordedRelationship]:
    return mentor.relationships.select_related("mentee", "recorded_by", "withdrawn_by").order_by(
        F("withdrawn_at").asc(nulls_first=True), "-recorded_on", "-pk"
    )


def relationships_of_mentee(mentee_id: int) -> QuerySet[RecordedRelationship]:
    return (
        RecordedRelationship.objects.filter(mentee_id=mentee_id)
        .select_related("mentor__user", "recorded_by", "withdrawn_by")
        .order_by(F("withdrawn_at").asc(nulls_first=True), "-recorded_on", "-pk")
    )
