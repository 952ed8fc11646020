"""Reads of her intake records: consents in force, assessments, what she shares with her mentor, distance travelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet, prefetch_related_objects

from mentoring.models import (
    AffectsNow,
    Assessment,
    Consent,
    ConsentKind,
    Goal,
    Hub,
    Mentee,
    NeedArea,
    NeedRating,
    User,
)
from mentoring.policies.mentees import MENTEE_CASEWORK_ROLES
from mentoring.policies.people import hub_ids_for


def consents_in_force(mentee: Mentee) -> dict[str, Consent]:
    """The latest decision of each kind. Read through her prefetched consents, which her safe
    ways (`Mentee.safe_ways`) read too: her record's banner and its consents cost one query."""
    prefetch_related_objects([mentee], "consents")
    latest: dict[str, Consent] = {}
    for consent in sorted(mentee.consents.all(), key=lambda c: (c.recorded_at, c.pk), reverse=True):
        latest.setdefault(consent.kind, consent)
    return latest


def consent_history(mentee: Mentee) -> QuerySet[Consent]:
    return Consent.objects.filter(mentee=mentee).select_related("recorded_by").order_by("-recorded_at", "-pk")


def latest_assessment(mentee: Mentee) -> Assessment | None:
    return mentee.latest_assessment


@dataclass(frozen=True)
class SharedWithMentor:
    needs: list[NeedRating]
    goals: list[Goal]


def _sharing_in_force(mentee: Mentee) -> bool:
    sharing = consents_in_force(mentee).get(ConsentKind.SHARE_WITH_MENTOR)
    return sharing is not None and sharing.given


def _shared_needs(assessment: Assessment | None) -> QuerySet[NeedRating]:
    if assessment is None:
        return NeedRating.objects.none()
    return (
        assessment.needs.filter(share_with_mentor=True)
        .exclude(affects_now=AffectsNow.NO)
        .order_by(F("priority").asc(nulls_last=True), "need_area__order")
    )


def needs_shared_with_mentor(mentee: Mentee) -> QuerySet[NeedRating]:
    """The needs of her latest assessment she chose to share with her mentor, by her priority;
    none while her consent to share isn't in force."""
    return _shared_needs(latest_assessment(mentee) if _sharing_in_force(mentee) else None)


def shared_with_mentor(mentee: Mentee) -> SharedWithMentor:
    """Only what she agreed to share, and only while her consent to share is in force:
    withdrawing it hides everything at once, with nothing to clean up."""
    if not _sharing_in_force(mentee):
        return SharedWithMentor(needs=[], goals=[])
    needs = list(_shared_needs(latest_assessment(mentee)).select_related("need_area"))
    goals = list(
        mentee.goals.filter(share_with_mentor=True, outcome=Goal.Outcome.IN_PROGRESS).select_related("need_area")
    )
    return SharedWithMentor(needs=needs, goals=goals)


@dataclass(frozen=True)
class RatingSeries:
    need_area: str
    points: list[tuple[date, int | None]]

    @property
    def change(self) -> int | None:
        rated = [value for _, value in self.points if value is not None]
        return rated[-1] - rated[0] if len(rated) >= 2 else None


def distance_travelled(mentee: Mentee) -> tuple[list[date], list[RatingSeries]]:
    """Her own ratings, by need area, across her completed assessments (intake, then reviews)."""
    assessments = list(
        Assessment.objects.filter(mentee=mentee, state=Assessment.State.COMPLETE).order_by("assessed_on", "pk")
    )
    ratings = (
        NeedRating.objects.filter(assessment__in=assessments, self_rating__isnull=False)
        .select_related("need_area")
        .order_by("need_area__order", "need_area__name")
    )
    by_area: dict[str, dict[int, int]] = {}
    for rating in ratings:
        by_area.setdefault(rating.need_area.name, {})[rating.assessment_id] = rating.self_rating  # type: ignore[assignment]
    dates = [a.assessed_on for a in assessments]
    series = [
        RatingSeries(need_area=name, points=[(a.assessed_on, values.get(a.pk)) for a in assessments])
        for name, values in by_area.items()
    ]
    return dates, series


def need_areas_for_casework(*, user: User) -> list[tuple[int, str]]:
    """(id, name) of the active need areas her casework hubs use: the standard ones and her
    organisations' own, for the lists' need filter."""
    organisations = Hub.objects.filter(pk__in=hub_ids_for(user, MENTEE_CASEWORK_ROLES)).values("organisation_id")
    return list(
        NeedArea.objects.filter(is_active=True)
        .filter(Q(organisation__isnull=True) | Q(organisation_id__in=organisations))
        .order_by("order", "name")
        .values_list("pk", "name")
    )
