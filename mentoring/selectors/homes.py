"""Reads for the role home pages: counts per hub, and the coordinator's to-do list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import (
    OPEN_PAIR_STATUSES,
    OPEN_STATUSES,
    WAITING_PAIR_STATUSES,
    Assessment,
    Hub,
    Membership,
    Mentee,
    MenteeStatus,
    MentorStage,
    RecruitmentStatus,
    Role,
    User,
)
from mentoring.policies.applicants import applicants_visible_to
from mentoring.policies.mentees import casework_mentees
from mentoring.policies.mentors import mentors_visible_to
from mentoring.policies.pairs import pairs_visible_to
from mentoring.policies.people import hub_ids_for
from mentoring.selectors.mentors import dbs_renewal_due
from mentoring.selectors.sessions import quiet_pairs, talk_requests_waiting


def with_hub_counts(hubs: QuerySet[Hub]) -> QuerySet[Hub]:
    """`mentee_count` and `mentor_count` on each hub, in the hubs' own query: a correlated count
    per kind, each read from an index on hub. (Counting both through one join from the hub would
    multiply every woman by every mentor membership.)"""

    def per_hub(rows: QuerySet[Any]) -> Coalesce:
        counted = rows.filter(hub=OuterRef("pk")).order_by().values("hub").annotate(n=Count("*")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    # A membership is unique per person, hub and role, so its rows count mentors.
    return hubs.annotate(
        mentee_count=per_hub(Mentee.objects.all()),
        mentor_count=per_hub(Membership.objects.filter(role=Role.MENTOR)),
    )


def hubs_with_counts(*, user: User, roles: tuple[str, ...]) -> list[Hub]:
    """Her hubs (for these roles), by name, each with `mentee_count` and `mentor_count`: one query."""
    return list(with_hub_counts(Hub.objects.filter(pk__in=hub_ids_for(user, roles))).order_by("name"))


# --- the coordinator's to-do list ---

SHOWN_PER_SECTION = 5  # a few of each, the oldest or most urgent first; the list page holds the rest


@dataclass(frozen=True)
class TodoSection:
    """One kind of work waiting for her: the first few records and how many there are in all."""

    items: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class CoordinatorTodo:
    talk_today: TodoSection
    quiet_pairs: TodoSection
    new_referrals: TodoSection
    intakes_in_draft: TodoSection
    pair_reviews_due: TodoSection
    her_reviews_due: TodoSection
    proposals_waiting: TodoSection
    dbs_renewals_due: TodoSection
    mentors_in_training: TodoSection
    enquiries_to_follow_up: TodoSection


def _first_few(rows: QuerySet[Any]) -> TodoSection:
    """The first SHOWN_PER_SECTION rows with the count of them all, in one query: the window count is
    taken over every row that matches before the limit applies."""
    items = list(rows.annotate(todo_total=Window(Count("*")))[:SHOWN_PER_SECTION])
    return TodoSection(items=items, total=items[0].todo_total if items else 0)


def coordinator_todo(*, user: User) -> CoordinatorTodo:
    """What is waiting for her in the hubs she coordinates: one query per kind of work, however
    many records there are. Each kind uses the rule of the list page its "more" link opens, so
    the count here and the rows there agree."""
    mentees = casework_mentees(user, (Role.COORDINATOR,)).only("chosen_name", "status_changed_at", "review_due_on")
    draft_intake = Assessment.objects.filter(
        mentee_id=OuterRef("pk"), kind=Assessment.Kind.INTAKE, state=Assessment.State.DRAFT
    ).order_by("-created_at", "-pk")
    pair_columns = (
        "status",
        "proposed_at",
        "next_review_on",
        "mentee__chosen_name",
        "mentor__user__display_name",
        "mentor__user__email",
    )
    pairs = pairs_visible_to(user).select_related("mentee", "mentor__user")
    mentors = (
        mentors_visible_to(user)
        .select_related("user")
        .only("stage", "stage_changed_at", "dbs_renewal_due", "user__display_name", "user__email")
    )
    today = timezone.localdate()
    return CoordinatorTodo(
        # A mentor who said a session left her needing to talk: first, and today.
        talk_today=_first_few(talk_requests_waiting(user=user)),
        quiet_pairs=_first_few(
            quiet_pairs(user=user, today=today)
            .select_related("mentee", "mentor__user")
            .only(*pair_columns, "activated_on", "last_contact_on")
        ),
        new_referrals=_first_few(mentees.filter(status=MenteeStatus.REFERRED).order_by("status_changed_at", "pk")),
        intakes_in_draft=_first_few(
            mentees.filter(status=MenteeStatus.ASSESSING)
            .annotate(draft_id=Subquery(draft_intake.values("pk")[:1]))
            .order_by("status_changed_at", "pk")
        ),
        pair_reviews_due=_first_few(
            pairs.filter(status__in=OPEN_PAIR_STATUSES, next_review_on__lte=today)
            .only(*pair_columns)
            .order_by("next_review_on", "pk")
        ),
        her_reviews_due=_first_few(
            mentees.filter(status__in=OPEN_STATUSES, review_due_on__lte=today).order_by("review_due_on", "pk")
        ),
        proposals_waiting=_first_few(
            pairs.filter(status__in=WAITING_PAIR_STATUSES).only(*pair_columns).order_by("proposed_at", "pk")
        ),
        dbs_renewals_due=_first_few(dbs_renewal_due(mentors).order_by("dbs_renewal_due", "pk")),
        mentors_in_training=_first_few(mentors.filter(stage=MentorStage.TRAINING).order_by("stage_changed_at", "pk")),
        # Women who asked about mentoring and have heard nothing back yet: the recruitment list's
        # "Enquiry" stage, longest waiting first, as that list orders them.
        enquiries_to_follow_up=_first_few(
            applicants_visible_to(user)
            .filter(status=RecruitmentStatus.OPEN, stage=MentorStage.ENQUIRY)
            .only("name", "enquired_on")
            .order_by("enquired_on", "pk")
        ),
    )
