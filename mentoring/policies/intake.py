"""Who may manage the organisation's need areas: its org admins. (Her intake records themselves
follow her record: see policies/mentees.py.)"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from mentoring.models import NeedArea, User
from mentoring.policies.people import organisations_administered


def need_areas_administered_by(user: User) -> QuerySet[NeedArea]:
    """The standard need areas (every organisation's) and her organisations' own."""
    return NeedArea.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id__in=organisations_administered(user))
    )


def get_need_area_for_admin(user: User, pk: int) -> NeedArea:
    """One of her organisations' own need areas (the standard ones can't be switched off), or 404."""
    area = NeedArea.objects.filter(pk=pk, organisation_id__in=organisations_administered(user)).first()
    if area is None:
        raise Http404("No such need area.")
    return area
