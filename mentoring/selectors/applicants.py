"""Reads of mentor recruitment before an account: the coordinator's list and one woman's record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from mentoring.models import (
    Invitation,
    MentorApplicant,
    MentorReference,
    MentorStageChange,
    RecruitmentStatus,
    User,
)
from mentoring.policies.applicants import applicants_visible_to


@dataclass
class ApplicantFilters:
    status: str = RecruitmentStatus.OPEN
    stage: str = ""
    hub: int | None = None


def filtered_applicants(*, user: User, filters: ApplicantFilters) -> QuerySet[MentorApplicant]:
    """Her hubs' applicants, the longest waiting first: an enquiry left alone is the one to chase."""
    applicants = applicants_visible_to(user)
    if filters.status:
        applicants = applicants.filter(status=filters.status)
    if filters.stage:
        applicants = applicants.filter(stage=filters.stage)
    if filters.hub:
        applicants = applicants.filter(hub_id=filters.hub)
    received = Q(references__outcome__in=[MentorReference.Outcome.SATISFACTORY, MentorReference.Outcome.CONCERNS])
    return (
        applicants.select_related("hub")
        .annotate(reference_count=Count("references"), references_back=Count("references", filter=received))
        .defer("note", "closed_reason", "source_detail", "phone")
        .order_by("enquired_on", "pk")
    )


def applicant_history(applicant: MentorApplicant) -> list[MentorStageChange]:
    """Her recruitment's steps, newest first. Once she has joined they are on her mentor record."""
    changes = MentorStageChange.objects.filter(applicant=applicant).select_related("changed_by")
    return list(changes.order_by("-changed_on", "-created_at", "-pk"))


def applicant_references(applicant: MentorApplicant) -> list[MentorReference]:
    return list(MentorReference.objects.filter(applicant=applicant).order_by("created_at", "pk"))


def latest_invitation(applicant: MentorApplicant) -> Invitation | None:
    return applicant.invitations.order_by("-created_at", "-pk").first()
