"""Matching screens: suggestions for one woman, a hub's batch, and the matching home."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentoring.http import AuthedRequest
from mentoring.models import OPEN_PAIR_STATUSES, MenteeStatus, Mentor, Role
from mentoring.policies.mentees import get_mentee_for_user
from mentoring.policies.mentors import mentors_visible_to
from mentoring.policies.pairs import get_hub_for_coordinator
from mentoring.policies.people import hubs_for
from mentoring.selectors.matching import batch_for_hub, suggestions_for
from mentoring.services.pairs import open_pair_for, pair_propose, proposal_reject
from mentoring.views.shared import error_text, int_or_none, mentee_record_context


def _mentor_in_hub(request: AuthedRequest, hub_id: int) -> Mentor:
    mentor = mentors_visible_to(request.user).filter(pk=int_or_none(request.POST.get("mentor")) or 0, hub_id=hub_id)
    found = mentor.select_related("user", "hub__organisation").first()
    if found is None:
        raise PermissionDenied
    return found


@require_http_methods(["GET", "POST"])
def mentee_match(request: AuthedRequest, pk: int) -> HttpResponse:
    """The best mentors for a waiting woman, each with its reasons; propose one."""
    mentee = get_mentee_for_user(request.user, pk, action="edit", purpose="Matching")
    if request.method == "POST":
        try:
            pair = pair_propose(mentee=mentee, mentor=_mentor_in_hub(request, mentee.hub_id), acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("mentee_match", pk=mentee.pk)
        messages.success(request, "Proposed. Next: ask them both, and record each one's answer.")
        return redirect("pair_detail", pk=pair.pk)
    context: dict[str, Any] = mentee_record_context(request, mentee, "mentor")
    context["open_pair"] = open_pair_for(mentee)
    context["past_pairs"] = mentee.pairs.exclude(status__in=OPEN_PAIR_STATUSES).select_related("mentor__user")
    if mentee.status == MenteeStatus.WAITING and context["open_pair"] is None:
        context["suggestions"] = suggestions_for(mentee)
    return render(request, "mentoring/matching/mentee_match.html", context)


@require_http_methods(["GET", "POST"])
def hub_batch_match(request: AuthedRequest, pk: int) -> HttpResponse:
    hub = get_hub_for_coordinator(request.user, pk)
    if request.method == "POST":
        mentee = get_mentee_for_user(
            request.user, int_or_none(request.POST.get("mentee")) or 0, "edit", purpose="Batch matching"
        )
        if mentee.hub_id != hub.pk:
            raise PermissionDenied
        mentor = _mentor_in_hub(request, hub.pk)
        try:
            if request.POST.get("decision") == "reject":
                proposal_reject(
                    mentee=mentee, mentor=mentor, acting_user=request.user, reason="Turned down in batch matching"
                )
                messages.info(request, f"Not proposed. {mentee.chosen_name} stays on the waiting list.")
            else:
                pair_propose(mentee=mentee, mentor=mentor, acting_user=request.user)
                messages.success(request, f"Proposed {mentor.name} for {mentee.chosen_name}.")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("hub_batch_match", pk=hub.pk)
    rows, left = batch_for_hub(hub)
    return render(request, "mentoring/matching/batch.html", {"hub": hub, "rows": rows, "left": left})


@require_GET
def matching_home(request: AuthedRequest) -> HttpResponse:
    """Which hub to batch-match: straight there when she coordinates one."""
    hubs = list(hubs_for(request.user, [Role.COORDINATOR]))
    if not hubs:
        raise PermissionDenied
    if len(hubs) == 1:
        return redirect("hub_batch_match", pk=hubs[0].pk)
    return render(request, "mentoring/matching/home.html", {"hubs": hubs})
