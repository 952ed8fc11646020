"""What a mentor's phone keeps for working with no signal: the minimum, and nothing more.

Her active pairs with each woman's chosen name (no safe-contact details, no agreement text, no
notes of logs already sent), her organisation's need areas and the log form's choice lists. The
page stores it on the phone (IndexedDB) so the offline shell can draw her home and the log form.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from mentoring.models import Activity, MentorWellbeing, NeedArea, Pair, PairStatus, PlaceType, SessionMode, User
from mentoring.policies.audit import access_log_reads
from mentoring.policies.mentees import mentee_ids_granted_to


def _active_pairs(user: User) -> list[Pair]:
    # The pairs her phone home lists (selectors.pairs.mentor_active_pairs), without what it shows
    # beside the names.
    return list(
        Pair.objects.filter(mentor__user=user, status=PairStatus.ACTIVE, mentee_id__in=mentee_ids_granted_to(user))
        .select_related("mentee", "hub")
        .order_by("mentee__chosen_name", "pk")
    )


def offline_data_for(*, user: User) -> dict[str, Any]:
    """Her active pairs [{pair, name, organisation}], need areas by organisation, and the choices."""
    pairs = _active_pairs(user)
    organisations = sorted({pair.hub.organisation_id for pair in pairs})
    areas: dict[str, list[list[Any]]] = {str(pk): [] for pk in organisations}
    if organisations:
        for area in NeedArea.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=organisations), is_active=True
        ).order_by("order", "name"):
            for pk in organisations if area.organisation_id is None else [area.organisation_id]:
                areas[str(pk)].append([area.pk, area.name])
    # Her chosen name goes to her mentor's phone: a read of her record, logged as every read is.
    access_log_reads(
        user=user, records=[(pair.mentee, pair.hub) for pair in pairs], reason="Her mentor's phone, offline"
    )
    return {
        "user": user.pk,
        "pairs": [
            {"pair": pair.pk, "name": pair.mentee.chosen_name, "organisation": pair.hub.organisation_id}
            for pair in pairs
        ],
        "need_areas": areas,
        "choices": {
            "mode": SessionMode.choices,
            "place_type": PlaceType.choices,
            "activities": Activity.choices,
            "wellbeing": MentorWellbeing.choices,
        },
    }
